#!/usr/bin/env python3
"""Interleaved start-up A/B (after bench/results/issue12-s5-quiet/startup-ab.py): each variant = an extracted app dir
with its own JDK AOT cache + extra JVM flags + extra args; the command is ./run's exec line. Polls /readyz every 10 ms,
reads each thread's CPU at the first 200. Usage: ab.py ROUNDS name=dir|opts|args ..."""
import os, subprocess, sys, time, urllib.request, glob, statistics, signal, json
JAVA = '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java'
rounds = int(sys.argv[1])
variants = []
for spec in sys.argv[2:]:
    name, rest = spec.split('=', 1)
    d, opts, args = (rest.split('|') + ['', ''])[:3]
    variants.append((name, d, opts.split(), args.split()))
tick = os.sysconf('SC_CLK_TCK')
def cpu(pid):
    out = {}
    for t in glob.glob(f'/proc/{pid}/task/*'):
        try:
            name = open(t + '/comm').read().strip()
            f = open(t + '/stat').read().rsplit(')', 1)[1].split()
            c = (int(f[11]) + int(f[12])) / tick
        except Exception: continue
        k = 'main' if name in ('java', 'main') else 'C2' if name.startswith('C2 ') else 'C1' if name.startswith('C1 ') else 'other'
        out[k] = out.get(k, 0) + c
    return out
res = {v[0]: [] for v in variants}
print('load before', open('/proc/loadavg').read().strip(), flush=True)
for r in range(rounds):
    for name, d, opts, args in variants:
        if d.startswith('RUN:'):
            cmd = [d[4:], '--server.port=28380', '--management.server.port=0', '--runrelay.provider=sandbox'] + args
        else:
          cmd = [JAVA, f'-XX:AOTCache={d}/runrelay.aot', '-XX:+UseSerialGC', '-Dspring.aot.enabled=true',
               '--enable-native-access=ALL-UNNAMED'] + opts + ['-jar', f'{d}/runrelay.jar', '--server.port=28380',
               '--management.server.port=0', '--runrelay.provider=sandbox'] + args
        env = dict(os.environ, JAVA_OPTS=' '.join(opts)) if d.startswith('RUN:') else None
        load = os.getloadavg()[0]
        t0 = time.time()
        p = subprocess.Popen(cmd, cwd='/tmp', env=env, stdout=open(f'/tmp/st6/ab-{name}.log', 'w'), stderr=subprocess.STDOUT)
        while True:
            try:
                urllib.request.urlopen('http://127.0.0.1:28380/readyz', timeout=1).read(); break
            except Exception: time.sleep(0.01)
            if time.time() - t0 > 60: break
        wall = time.time() - t0
        c = cpu(p.pid)
        p.send_signal(signal.SIGTERM); p.wait(timeout=30)
        res[name].append((wall, sum(c.values()), c.get('main', 0), c.get('C1', 0), c.get('C2', 0)))
        print(r, name, f'{wall:.2f}s cpu={sum(c.values()):.2f} main={c.get("main",0):.2f} C1={c.get("C1",0):.2f} C2={c.get("C2",0):.2f} load={load:.1f}', flush=True)
        time.sleep(1)
print('load after', open('/proc/loadavg').read().strip())
for name, *_ in variants:
    v = res[name]; w = sorted(x[0] for x in v)
    print(f'{name:14s} median wall {statistics.median(w):.2f} ({w[0]:.2f}-{w[-1]:.2f}) ' +
          'cpu %.2f main %.2f C1 %.2f C2 %.2f' % tuple(statistics.median(x[i] for x in v) for i in range(1, 5)), flush=True)
