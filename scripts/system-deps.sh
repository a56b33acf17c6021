#!/bin/sh
# Install the Debian packages the test suite and benchmarks drive for real.
# Tests that need a missing package skip with the reason, so a machine without root
# still runs everything else.
set -u
PACKAGES="chromium postgresql redis-server nginx-light wrk fonts-dejavu-core poppler-utils hugo"
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "system-deps: not root, cannot install:$missing (tests needing them will skip)"
    exit 0
fi
echo "system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || echo "system-deps: apt-get failed; tests needing$missing will skip"
exit 0
