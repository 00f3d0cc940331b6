from ceodesk.cli import main

raise SystemExit(main())
