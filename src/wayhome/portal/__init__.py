"""The relative's view: an inquirer sees their own request's status and sends news."""
