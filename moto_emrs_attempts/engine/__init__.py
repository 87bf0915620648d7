"""The pure lifecycle: a job run's attempts, steps, retries, queueing and timeouts, the scheduler's
slots, the stored attempt, the state-manager transitions. It decides; the backend applies. It
never reads a backend, so its tests need no mock.

May import: contract only; nothing of moto.
"""
