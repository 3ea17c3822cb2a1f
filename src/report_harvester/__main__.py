from report_harvester.cli import main

main()
