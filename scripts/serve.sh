#!/usr/bin/env bash
# Serves www/ on 127.0.0.1 (static files only: the page runs in the browser) and
# prints its address. PORT picks the port (default 8000, or a free one if taken).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-8000}"
if ! python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$port" 2>/dev/null; then
    port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
fi
echo
echo "    Autoscale Playground: http://127.0.0.1:$port/"
echo "    (Ctrl-C stops the server)"
echo
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
