import os, subprocess, sys, time, urllib.request, glob, statistics, signal
extra = {'G-fallback': ['--management.endpoints.web.exposure.include=health'], 'H-main-same': ['--management.endpoints.web.exposure.include=health']}
dirs = {'I-aot-c2excl': '/work/wt/s5-aot', 'G-fallback': '/work/wt/s5-aot', 'E-springaot': '/work/wt/s5-aot', 'F-springaot-native': '/work/wt/s5-aot'}
variants = {
 'I-aot-c2excl': '-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/tmp/st/c2dir.json',
 'G-fallback': '', 'H-main-same': '',
 'E-springaot': '',
 'F-springaot-native': '-Dspring.aot.enabled=true -Djdk.reflect.useNativeAccessorOnly=true',
 'A-default': '',
 'B-native': '-Djdk.reflect.useNativeAccessorOnly=true',
 'C-c2excl': '-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/tmp/st/c2dir.json',
 'D-both': '-Djdk.reflect.useNativeAccessorOnly=true -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/tmp/st/c2dir.json',
}
sel = sys.argv[2].split(',') if len(sys.argv) > 2 else list(variants)
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
tick = os.sysconf('SC_CLK_TCK')
res = {k: [] for k in sel}
def cpu(pid):
    out = {}
    for t in glob.glob(f'/proc/{pid}/task/*'):
        try:
            name = open(t + '/comm').read().strip()
            f = open(t + '/stat').read().rsplit(')', 1)[1].split()
            c = (int(f[11]) + int(f[12])) / tick
        except Exception: continue
        k = 'main' if name == 'java' else 'C2' if name.startswith('C2 ') else 'C1' if name.startswith('C1 ') else 'other'
        out[k] = out.get(k, 0) + c
    return out
for r in range(rounds):
    for k in sel:
        env = dict(os.environ, JAVA_OPTS=variants[k])
        t0 = time.time()
        p = subprocess.Popen(['./run', '--server.port=28090', '--management.server.port=0', '--runrelay.provider=sandbox'] + extra.get(k, []),
                             cwd=dirs.get(k, '/work/main'), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                urllib.request.urlopen('http://127.0.0.1:28090/readyz', timeout=1).read(); break
            except Exception: time.sleep(0.01)
            if time.time() - t0 > 60: break
        wall = time.time() - t0
        c = cpu(p.pid)
        p.send_signal(signal.SIGTERM); p.wait(timeout=20)
        res[k].append((wall, sum(c.values()), c.get('main', 0), c.get('C1', 0), c.get('C2', 0)))
        print(r, k, f'{wall:.2f}s cpu={sum(c.values()):.2f} main={c.get("main",0):.2f} C1={c.get("C1",0):.2f} C2={c.get("C2",0):.2f} load={os.getloadavg()[0]:.1f}', flush=True)
        time.sleep(1)
for k in sel:
    v = res[k]
    print(k, 'median wall %.2f cpu %.2f main %.2f C1 %.2f C2 %.2f' % tuple(statistics.median(x[i] for x in v) for i in range(5)))
