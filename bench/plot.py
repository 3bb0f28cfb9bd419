#!/usr/bin/python3
"""Draws bench/run's scale curves as SVG, with python3's standard library only.

    plot.py RESULTS_DIR

Reads RESULTS_DIR/scale-containers.tsv and RESULTS_DIR/scale-sessions.tsv (tab-separated, a header line,
written by bench/run) and writes one SVG per curve beside them. Linear axes on purpose: a straight line
is linear growth, a bend is where cost stops (or starts) growing in proportion.
"""
import csv
import math
import os
import sys
from xml.sax.saxutils import escape

W, H = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 64, 50
COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e']


def nice_max(v):
    """The smallest 1/2/2.5/5 x 10^k at or above v (an axis end)."""
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def fmt(v):
    return ('%.0f' % v) if abs(v) >= 100 or v == int(v) else ('%.3g' % v)


def chart(path, title, xlabel, ylabel, xs, series, note=''):
    """series: [(label, [y or None per x], dashed)]; writes a line chart with markers and values."""
    ys = [y for _, vals, _ in series for y in vals if y is not None]
    xmax, ymax = nice_max(max(xs)), nice_max(max(ys) * 1.08 if ys else 1)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(x):
        return LEFT + pw * x / xmax

    def py(y):
        return TOP + ph - ph * y / ymax

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11">' % (W, H, W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>' % (LEFT, escape(title))]
    for i in range(6):
        gy, gx = ymax * i / 5, xmax * i / 5
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (LEFT, py(gy), W - RIGHT, py(gy)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 6, py(gy) + 4, fmt(gy)))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(gx), H - BOTTOM + 16, fmt(gx)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (LEFT, TOP, pw, ph))
    out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (LEFT + pw / 2, H - 12, escape(xlabel)))
    out.append('<text transform="translate(16,%d) rotate(-90)" text-anchor="middle">%s</text>'
               % (TOP + ph / 2, escape(ylabel)))
    for k, (label, vals, dashed) in enumerate(series):
        c = COLORS[k % len(COLORS)]
        pts = [(px(x), py(y)) for x, y in zip(xs, vals) if y is not None]
        if len(pts) > 1:
            out.append('<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>'
                       % (c, ' stroke-dasharray="6,4"' if dashed else '',
                          ' '.join('%.1f,%.1f' % p for p in pts)))
        if not dashed:
            for (x, y), v in zip(pts, [v for v in vals if v is not None]):
                out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>' % (x, y, c))
                out.append('<text x="%.1f" y="%.1f" fill="%s" text-anchor="middle">%s</text>' % (x, y - 7, c, fmt(v)))
        # The legend is one row above the plot, where no curve can hide it.
        lx = LEFT + k * (W - LEFT - RIGHT) // len(series)
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                   % (lx, TOP - 16, lx + 20, TOP - 16, c, ' stroke-dasharray="6,4"' if dashed else ''))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 26, TOP - 12, escape(label)))
    if note:
        out.append('<text x="%d" y="36" fill="#555">%s</text>' % (LEFT, escape(note)))
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def table(path):
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    return rows


def col(rows, name, scale=1.0):
    return [float(r[name]) * scale if r.get(name) not in (None, '', 'nan') else None for r in rows]


def containers(d):
    rows = table(os.path.join(d, 'scale-containers.tsv'))
    if not rows:
        return
    n = col(rows, 'containers')
    mib = 1 / 1024
    chart(os.path.join(d, 'scale-containers-pss.svg'), 'Idle init: PSS per container as containers are added',
          'containers running', 'MiB per init (median)', n,
          [('PSS', col(rows, 'pss_kib', mib), False), ('of it anonymous', col(rows, 'pss_anon_kib', mib), False),
           ('of it file-backed (shared)', col(rows, 'pss_file_kib', mib), False)])
    one = col(rows, 'pss_total_kib', mib)[0] / n[0]
    chart(os.path.join(d, 'scale-containers-total.svg'), 'Idle inits: total PSS of all containers',
          'containers running', 'MiB, all inits', n,
          [('total PSS', col(rows, 'pss_total_kib', mib), False),
           ('N x one container alone', [x * one for x in n], True)])
    chart(os.path.join(d, 'scale-containers-start.svg'), 'jaild start --config: time per container of each batch',
          'containers running after the batch', 'seconds', n,
          [('batch time / containers in the batch', col(rows, 'start_per_container_s'), False)],
          note='batches: ' + ', '.join(r['batch'] for r in rows))


def sessions(d):
    rows = table(os.path.join(d, 'scale-sessions.tsv'))
    if not rows:
        return
    n = col(rows, 'sessions')
    chart(os.path.join(d, 'scale-sessions-latency.svg'), 'jail -c true with N idle sessions in the container',
          'idle sessions held open', 'ms', n,
          [('median', col(rows, 'login_median_ms'), False), ('slowest', col(rows, 'login_slowest_ms'), False)])
    chart(os.path.join(d, 'scale-sessions-throughput.svg'), "jail -c 'cat 256MiB' > /dev/null with N idle sessions",
          'idle sessions held open', 'MB/s', n,
          [('median', col(rows, 'relay_median_mbps'), False), ('slowest run', col(rows, 'relay_slowest_mbps'), False)])
    if 'init_cpu_s' in rows[0]:
        chart(os.path.join(d, 'scale-sessions-cpu.svg'), "The init's CPU time per 256 MiB relayed, with N idle sessions",
              'idle sessions held open', 'CPU seconds (user + system)', n,
              [('init CPU per transfer', col(rows, 'init_cpu_s'), False)])
    chart(os.path.join(d, 'scale-sessions-memory.svg'), "The init's memory with N idle sessions",
          'idle sessions held open', 'MiB', n,
          [('init PSS', col(rows, 'init_pss_kib', 1 / 1024), False), ('init RSS', col(rows, 'init_rss_kib', 1 / 1024), False),
           ("sessions' processes, PSS in all", col(rows, 'children_pss_kib', 1 / 1024), False)])


def main():
    if len(sys.argv) != 2:
        print('usage: plot.py RESULTS_DIR', file=sys.stderr)
        return 2
    for draw, name in ((containers, 'scale-containers.tsv'), (sessions, 'scale-sessions.tsv')):
        if os.path.exists(os.path.join(sys.argv[1], name)):
            draw(sys.argv[1])
    return 0


if __name__ == '__main__':
    sys.exit(main())
