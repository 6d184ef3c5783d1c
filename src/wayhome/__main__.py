from wayhome.cli import main

main()
