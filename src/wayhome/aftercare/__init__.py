"""After return: reception, placement, services and follow-up visits."""
