#!/usr/bin/env python3
"""The benchmark model (M/M/N+M) in SimPy 3, the reference point of bench/simulate.sh.

N agents of one chat each (a simpy.Resource of capacity N), Poisson arrivals, exponential handling and
exponential patience: a customer who waits longer than their patience abandons (the request is
cancelled). Any free agent takes the next customer, which for agents of one chat is what least-busy
does. Prints one JSON object: arrivals, answered, abandoned, mean wait of the answered, wall seconds.

  mmn_simpy.py [--arrivals N] [--agents 50] [--rate-per-hour 540] [--handle-s 300] [--patience-s 180] [--seed 1]
"""
import argparse
import json
import random
import time

import simpy


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arrivals", type=int, default=200_000)
    p.add_argument("--agents", type=int, default=50)
    p.add_argument("--rate-per-hour", type=float, default=540.0)
    p.add_argument("--handle-s", type=float, default=300.0)
    p.add_argument("--patience-s", type=float, default=180.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    rng = random.Random(a.seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=a.agents)
    stats = {"answered": 0, "abandoned": 0, "wait": 0.0}
    rate = a.rate_per_hour / 3600.0

    def customer(handle, patience):
        arrived = env.now
        req = agents.request()
        got = yield req | env.timeout(patience)
        if req in got:
            stats["answered"] += 1
            stats["wait"] += env.now - arrived
            yield env.timeout(handle)
            agents.release(req)
        else:
            req.cancel()
            stats["abandoned"] += 1

    def source():
        for _ in range(a.arrivals):
            yield env.timeout(rng.expovariate(rate))
            env.process(customer(rng.expovariate(1.0 / a.handle_s), rng.expovariate(1.0 / a.patience_s)))

    env.process(source())
    start = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - start
    answered = stats["answered"]
    print(json.dumps({"arrivals": a.arrivals, "answered": answered, "abandoned": stats["abandoned"],
                      "mean_wait_s": stats["wait"] / answered if answered else 0.0, "seconds": seconds}))


if __name__ == "__main__":
    main()
