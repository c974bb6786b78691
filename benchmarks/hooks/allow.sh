#!/bin/sh
# The cheapest real hook: a shell that allows (benchmarks of exec-mode hook overhead).
exit 0
