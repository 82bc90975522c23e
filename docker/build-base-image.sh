#!/usr/bin/env bash
# Builds the Dockerfile's base image, `python:3.11-slim`, on a machine that reaches Debian's and
# PyPI's package mirrors but no image registry. It stands in for Docker Hub's image of that name
# with what the project's Dockerfile relies on:
#   - Debian bookworm (minbase) with Debian's python3 (3.11), from the mirror this machine's apt uses;
#   - `python` and `pip` first on PATH: a virtual environment in /opt/venv, because Debian's own
#     python refuses `pip install` into the system (PEP 668), as Docker Hub's image does not;
#   - this machine's trust store and pip settings, so that `pip install` inside the image reaches
#     the same package index as `pip` here (through a TLS-inspecting proxy, for instance). Settings
#     that name this machine's disk (find-links, file:// indexes, constraint files) are left out.
# A machine that can pull Docker Hub's image needs none of this: the Dockerfile works with either.
#
#   docker/build-base-image.sh           # builds the image unless it exists
#   docker/build-base-image.sh --force   # builds it again (security updates, changed pip settings)
#
# Needs root, debootstrap and a running Docker daemon (Debian: apt-get install docker.io
# debootstrap; dockerd &). Takes a few minutes. Environment: BASE_IMAGE (the tag to build),
# DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR (default: the URIs in /etc/apt/sources.list*).
set -euo pipefail

BASE_IMAGE=${BASE_IMAGE:-python:3.11-slim}
SUITE=bookworm
VENV=/opt/venv
force=false
case "${1:-}" in
  --force) force=true ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

die() { echo "build-base-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "debootstrap needs root"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (apt-get install docker.io; dockerd &)"
if ! $force && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  echo "$BASE_IMAGE exists (docker/build-base-image.sh --force builds it again)"
  exit 0
fi

# --- Where this machine's apt gets bookworm from (deb822 *.sources or one-line *.list files) ----
apt_uri() {  # the first URI of an enabled `deb` entry for suite $1
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources) awk -v s="$1" '
          function flush() { if (deb && hit && !off && uri != "") print uri; deb = hit = off = 0; uri = "" }
          /^[ \t]*$/ { flush(); next }
          /^[ \t]*#/ { next }
          tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
          tolower($1) == "uris:" { uri = $2 }
          tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
          tolower($1) == "enabled:" && tolower($2) == "no" { off = 1 }
          END { flush() }' "$f" ;;
      *) awk -v s="$1" '$1 == "deb" { sub(/\[[^]]*\]/, ""); if ($3 == s) print $2 }' "$f" ;;
    esac
  done | head -n1
}
MIRROR=${DEBIAN_MIRROR:-$(apt_uri "$SUITE")}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-$(apt_uri "$SUITE-security")}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# --- This machine's pip settings, as pip itself reads them (files, then PIP_* variables) --------
pip_settings=$(python3 -m pip config list 2>/dev/null || true)
pip_value() {  # the value pip here uses for option $1 (a variable beats the files)
  local var
  var="PIP_$(tr 'a-z-' 'A-Z_' <<<"$1")"
  if [ -n "${!var:-}" ]; then printf '%s\n' "${!var}"; return; fi
  sed -n -e "s/^install\.$1='\(.*\)'$/\1/p" -e "s/^global\.$1='\(.*\)'$/\1/p" <<<"$pip_settings" | head -n1
}
reachable_urls() { tr -s ' \t' '\n' | grep -E '^https?://' || true; }  # drops paths and file:// URLs
index_url=$(pip_value index-url | reachable_urls | head -n1)
extra_index_urls=$(pip_value extra-index-url | reachable_urls | paste -sd' ' -)
trusted_hosts=$(pip_value trusted-host)
timeout=$(pip_value timeout); timeout=${timeout:-$(pip_value default-timeout)}
retries=$(pip_value retries)
proxy=$(pip_value proxy)
ca_bundle=$(pip_value cert)
ca_bundle=${ca_bundle:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
[ -f "$ca_bundle" ] || die "the CA bundle $ca_bundle does not exist"
skipped_indexes=$(pip_value index-url; pip_value extra-index-url)
skipped_indexes=$(tr -s ' \t' '\n' <<<"$skipped_indexes" | grep -vE '^(https?://|$)' | paste -sd' ' - || true)
[ -z "$skipped_indexes" ] || echo "pip's indexes on this machine's disk ($skipped_indexes): not copied"
for option in find-links constraint; do
  [ -z "$(pip_value "$option")" ] || echo "pip's $option ($(pip_value "$option")) names this machine's disk: not copied"
done

work=$(mktemp -d /var/tmp/base-image.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
root="$work/rootfs"

echo "== debootstrap $SUITE (minbase) from $MIRROR"
# In a private mount namespace: the /proc and /sys that debootstrap mounts go with it, even on failure.
unshare --mount --propagation private \
  debootstrap --variant=minbase --include=ca-certificates,python3,python3-venv \
  "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

# Slim as Debian's own container images are: no manuals or translations, now or in later installs.
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
EOF
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# Trust: this machine's local CAs (kept by any later update-ca-certificates in the image) and,
# below, its whole bundle verbatim, the file pip is pointed at.
if [ -d /usr/local/share/ca-certificates ]; then
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
{
  echo "# This machine's pip settings, copied by docker/build-base-image.sh."
  echo "[global]"
  echo "cert = /etc/ssl/certs/ca-certificates.crt"
  [ -z "$index_url" ] || echo "index-url = $index_url"
  [ -z "$extra_index_urls" ] || echo "extra-index-url = $extra_index_urls"
  [ -z "$trusted_hosts" ] || echo "trusted-host = $trusted_hosts"
  [ -z "$timeout" ] || echo "timeout = $timeout"
  [ -z "$retries" ] || echo "retries = $retries"
  [ -z "$proxy" ] || echo "proxy = $proxy"
} >"$root/etc/pip.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf"

echo "== security updates, the virtual environment in $VENV"
# shellcheck disable=SC2016  # $1 and $@ belong to the inner shell: /proc is mounted in the new root
unshare --mount --propagation private sh -c 'mount -t proc proc "$1/proc" && exec chroot "$@"' - "$root" /bin/sh -euc "
  export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
  apt-get update -qq
  apt-get upgrade -y -qq >/dev/null
  update-ca-certificates >/dev/null
  python3 -m venv $VENV
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log /var/log/bootstrap.log
  find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
  find /usr/share/doc -mindepth 1 -depth -type d -empty -delete
  rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/*
  find /usr -name __pycache__ -prune -exec rm -rf {} +
" >"$work/chroot.log" 2>&1 || { tail -n 30 "$work/chroot.log" >&2; die "setting up the image failed"; }
cp "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
: >"$root/etc/resolv.conf"  # Docker provides it at run time

echo "== docker import as $BASE_IMAGE"
tar --numeric-owner --xattrs -C "$root" -c . | docker import \
  --change "ENV PATH=$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV VIRTUAL_ENV=$VENV" \
  --change "ENV LANG=C.UTF-8" \
  --change 'LABEL org.opencontainers.image.description="Debian bookworm with python3 and pip: a local stand-in for python:3.11-slim, built by docker/build-base-image.sh"' \
  --change 'CMD ["python3"]' \
  --message "docker/build-base-image.sh: debootstrap $SUITE from $MIRROR" \
  - "$BASE_IMAGE" >/dev/null

echo "== check: python, pip and the package index from inside the image"
docker run --rm "$BASE_IMAGE" sh -euc \
  'python --version; pip --version; pip download --no-deps --quiet --dest /tmp/pip-check pip; echo "pip reached its index"'
docker image ls "$BASE_IMAGE"
