from bgzero.cli import main

raise SystemExit(main())
