#!/usr/bin/env bash
# svc's main job against the embedded sandbox, in a throwaway state file: start the emulator, bind an
# account per platform, pull, list what came in, reply, and show that the reply arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DSVC_BUILD_BENCH=OFF >/dev/null # as scripts/test.sh
ninja -C build -j2 svc >/dev/null

svc=$PWD/build/svc
work=$(mktemp -d)
export SVC_STATE=$work/state.db
"$svc" sandbox serve --port-file "$work/port" >"$work/sandbox.json" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); a={x['platform']:x for x in d['accounts']}; print(eval(sys.argv[2]))" "$work/sandbox.json" "$1"; }
url=$(field "d['url']")
# Secrets travel in environment variables, never in argv.
export SHOP_WEIBO_TOKEN=$(field "a['weibo']['token']")
export SHOP_TELEGRAM_TOKEN=$(field "a['telegram']['token']")
export SHOP_WECHAT_SECRET=$(field "a['wechat']['secret']")

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step "$svc" account bind weibo shop-weibo --token-env SHOP_WEIBO_TOKEN --base-url "$url"
step "$svc" account bind telegram shop-bot --token-env SHOP_TELEGRAM_TOKEN --base-url "$url"
step "$svc" account bind wechat shop-wx --app-id "$(field "a['wechat']['app_id']")" --secret-env SHOP_WECHAT_SECRET --base-url "$url"
step "$svc" account check --all
step "$svc" pull
step "$svc" inbox --limit 8
conversation=$("$svc" inbox --account shop-bot --format json --limit 1 | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
step "$svc" reply "$conversation" --as alice --text "您好！我们已经在处理了 🙏 / We're on it!"
step "$svc" show "$conversation"
printf '\n\033[1mWhat the sandbox received:\033[0m\n'
curl -s "$url/_sandbox/sent" | python3 -c "import json,sys; [print(' ', s['platform'], '->', s['to'], ':', s['text']) for s in json.load(sys.stdin)]"
