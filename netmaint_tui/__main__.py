from netmaint_tui.cli import main

raise SystemExit(main())
