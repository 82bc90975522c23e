#!/bin/sh
# Runs the container's command as an unprivileged user who can write the store ($ANALYSIS_STORE),
# so that a volume or host folder mounted on /app/data works without a chown on the host.
# Started as root (the image's default), it picks that user from the store folder:
#   - a folder owned by root (the one Docker creates for `-v "$PWD/data:/app/data"` when data/ does
#     not exist yet, or any empty folder made by root) is handed to the image's user `app`;
#   - a folder owned by anyone else (the image's own store, a named volume, your store on the host)
#     is used as its owner, so the files the dashboard writes there stay that owner's.
# Started as another user (`docker run --user …`), it changes nothing: that user must be able to
# write the store.
set -eu
store=${ANALYSIS_STORE:-/app/data}
[ "$(id -u)" = 0 ] || exec "$@"

mkdir -p "$store"
if [ "$(stat -c %u "$store")" = 0 ]; then
  chown -R app:app "$store"
fi
uid=$(stat -c %u "$store")
gid=$(stat -c %g "$store")
if [ "$uid" = "$(id -u app)" ]; then HOME=/home/app; else HOME=/tmp; fi
export HOME
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"
