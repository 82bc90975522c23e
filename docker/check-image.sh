#!/usr/bin/env bash
# Builds the dashboard's image and checks it as an operator and a visitor would:
#   1. the base image (docker/build-base-image.sh, when no image of the Dockerfile's FROM exists);
#   2. `docker build` of the project (its time and the image's size are printed);
#   3. the image run as it is: it must report healthy, run as a user other than root, and serve
#      the deep link /quotes?speaker=Vipin%20Narang in Chromium with the quotes its store holds;
#   4. the same on an empty folder mounted on /app/data: the first visit seeds it.
# Each container is removed at the end, passed or failed. Screenshots: $SHOTS (bench/results).
#
#   docker/check-image.sh
#
# Needs a running Docker daemon (Debian: apt-get install docker.io debootstrap; dockerd &), root
# for the base image, Chromium at /usr/bin/chromium and a Python with playwright ($PYTHON, else
# the repository's .venv). Environment: IMAGE (who-said-what), SHOTS, PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-who-said-what}
SHOTS=${SHOTS:-bench/results}
PYTHON=${PYTHON:-.venv/bin/python}
HEALTHY_WITHIN=240  # seconds; the image's HEALTHCHECK probes every 30 s

die() { echo "check-image: $*" >&2; exit 1; }
docker info >/dev/null 2>&1 || die "no Docker daemon answers (apt-get install docker.io; dockerd &)"
"$PYTHON" -c "import playwright" 2>/dev/null || die "$PYTHON has no playwright (set PYTHON)"
mkdir -p "$SHOTS"

containers=()
scratch=$(mktemp -d)
cleanup() {
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

base=$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)
if ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "== no $base here: building it"
  BASE_IMAGE="$base" docker/build-base-image.sh
fi

echo "== docker build -t $IMAGE ."
started=$(date +%s)
docker build -t "$IMAGE" . >"$scratch/build.log" 2>&1 || { tail -n 40 "$scratch/build.log" >&2; die "docker build failed"; }
build_seconds=$(($(date +%s) - started))
size_mb=$(($(docker image inspect -f '{{.Size}}' "$IMAGE") / 1000000))
echo "built in ${build_seconds} s; image size ${size_mb} MB"

wait_healthy() {  # container
  local status deadline=$((SECONDS + HEALTHY_WITHIN))
  while :; do
    status=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$1")
    case "$status" in
      "running healthy") return 0 ;;
      running\ *) ;;
      *) docker logs "$1" 2>&1 | tail -n 30 >&2; die "the container stopped ($status)" ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      docker logs "$1" 2>&1 | tail -n 30 >&2; die "not healthy within ${HEALTHY_WITHIN} s ($status)"
    fi
    sleep 2
  done
}

check_run() {  # name, docker run options…
  local name=$1 cid address uid; shift
  echo "== run: $name"
  cid=$(docker run -d -p 127.0.0.1::8501 "$@" "$IMAGE")
  containers+=("$cid")
  wait_healthy "$cid"
  address=$(docker port "$cid" 8501/tcp | head -n1)
  uid=$(docker exec "$cid" stat -c %u /proc/1)
  [ "$uid" != 0 ] || die "the dashboard runs as root"
  echo "healthy on http://$address, the dashboard runs as uid $uid"
  "$PYTHON" docker/check_deep_link.py "http://$address" "$cid" "$SHOTS/docker-$name-quotes-vipin-narang.png" \
    || { docker logs "$cid" 2>&1 | tail -n 30 >&2; die "the deep link check failed ($name)"; }
  docker stop "$cid" >/dev/null
}

check_run image-store

empty="$scratch/empty-store"
mkdir -m 700 "$empty"  # run as root: root's, like the folder Docker makes for a missing host path
check_run empty-volume -v "$empty:/app/data"
[ -n "$(ls -A "$empty")" ] || die "the mounted empty store was not seeded"
echo "the empty store was seeded on the first visit, owned by uid $(stat -c %u "$empty")"

echo "== image $IMAGE passed: built in ${build_seconds} s, ${size_mb} MB"
