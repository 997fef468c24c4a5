from consentgate.cli import main

main()
