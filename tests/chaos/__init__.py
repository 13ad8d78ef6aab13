"""Chaos: deployments in flight through real outages (PostgreSQL restarted, the broker
restarted, AWS answering 503 and throttling), each case checking that every requested stack
exists once, every deployment ended, and none waited for the resumer's ten-minute sweep.

A worker killed with SIGKILL while holding a lease is covered by
``tests/cdk_service/jobs/test_resilience.py`` (the lease runs out, the resumer queues it).
"""
