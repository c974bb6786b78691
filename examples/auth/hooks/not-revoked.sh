#!/bin/sh
# A verifier hook, run after the JWT check: the token's claims arrive as SLUICE_AUTH_* variables (and as JSON on
# stdin, with the token itself). Exit 0 lets the client in; exit 1 answers 401 "The token is not valid."
if [ -f "$REVOKED_FILE" ] && grep -qx "$SLUICE_AUTH_SUB" "$REVOKED_FILE"; then
  echo '{"allow": false, "status": 403, "reason": "This account has been suspended."}'
  exit 1
fi
exit 0
