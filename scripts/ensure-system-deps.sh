#!/usr/bin/env bash
# Installs the system packages the test suite runs against: etcd, containerd (the CRI wire tests),
# iptables/nftables (pod NAT), busybox-static (the demo image), docker-registry (image pulls),
# attr (overlay whiteouts), conmon + crun/runc (running containers), containernetworking-plugins
# (containerd's pod network in the shared CRI suite), conntrack (stale UDP flows of host ports
# and Services).
# The suite never skips a test because a part is missing, so a machine without them must get them or fail loudly.
set -euo pipefail
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v containerd >/dev/null 2>&1 || need+=(containerd)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v nft >/dev/null 2>&1 || need+=(nftables)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v setfattr >/dev/null 2>&1 || need+=(attr)
command -v conmon >/dev/null 2>&1 || need+=(conmon)
command -v crun >/dev/null 2>&1 || need+=(crun)
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v conntrack >/dev/null 2>&1 || [ -x /usr/sbin/conntrack ] || need+=(conntrack)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "skiff tests need: ${need[*]} (Debian/Ubuntu packages). Install them, or run this as root on Debian." >&2
  exit 1
fi
echo "Installing ${need[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
