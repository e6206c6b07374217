#!/usr/bin/env bash
# Builds the QuickFIX C++ reference acceptor into target/quickfix-acceptor.
# Needs g++ and Debian's libquickfix-dev (QuickFIX 1.15):
#   apt-get update && apt-get install -y g++ libquickfix-dev
# Then: FIXGATE_QUICKFIX_ACCEPTOR=$PWD/target/quickfix-acceptor \
#       cargo test --test acceptance_reference -- --show-output
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target
# gnu++14: QuickFIX 1.15's headers use dynamic exception specifications.
g++ -std=gnu++14 -O1 -Wall -Wno-deprecated -Wno-deprecated-declarations \
    -o target/quickfix-acceptor tests/quickfix_reference/acceptor.cpp -lquickfix -lpthread
echo target/quickfix-acceptor
