from replydesk.cli import main

raise SystemExit(main())
