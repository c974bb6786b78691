#!/bin/sh
# onConnect hook deciding from environment variables only (no JSON parsing needed).
# Sluice sets SLUICE_HOOK, SLUICE_CLIENT_ID, SLUICE_ROUTE, SLUICE_PARAM_<NAME>, SLUICE_QUERY_<NAME>, ...
# Exit 0 allows, exit 1 denies; a JSON object on stdout may add a status and a reason.
case "${SLUICE_QUERY_TICKET:-}" in
  "${TICKET_PREFIX:-T-}"*)
    exit 0
    ;;
  "")
    echo '{"allow": false, "status": 401, "reason": "a ticket is required"}'
    exit 1
    ;;
  *)
    echo '{"allow": false, "status": 403, "reason": "ticket not recognised"}'
    exit 1
    ;;
esac
