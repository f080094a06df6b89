#!/usr/bin/env bash
# Ensures Debian's OpenSSH server is installed (the exedev behaviour suite
# starts its own sshd on 127.0.0.1). Idempotent and fast when present.
set -euo pipefail
if [ -x /usr/sbin/sshd ]; then
  exit 0
fi
echo "ensure-openssh: installing openssh-server" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq openssh-server >/dev/null
[ -x /usr/sbin/sshd ] || {
  echo "ensure-openssh: /usr/sbin/sshd still missing after install" >&2
  exit 1
}
