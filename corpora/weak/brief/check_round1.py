import collections
import json
import re
import sys

k=sys.argv[1]
import os

D=os.path.dirname(os.path.abspath(__file__))
tax=open(f'{D}/taxonomy.md').read()
themes=set(re.findall(r'^\| ([a-z_]+) \|',tax.split('## B.')[0],re.M))-{'id'}
scie=set(re.findall(r'^\| ([a-z_]+) \|',tax.split('## B.')[1],re.M))-{'id'}
batch={json.loads(l)['uid']:json.loads(l) for l in open(f'{D}/batch_{k}.jsonl')}
seen=set();bad=0;c=collections.Counter()
for i,l in enumerate(open(f'{D}/labels_{k}.jsonl'),1):
    if not l.strip(): continue
    try: r=json.loads(l)
    except Exception: print('line',i,'invalid JSON'); bad+=1; continue
    u=r.get('uid')
    if u not in batch: print('line',i,'unknown uid',u); bad+=1; continue
    if u in seen: print('line',i,'duplicate uid',u); bad+=1
    seen.add(u)
    if not isinstance(r.get('themes'),list) or any(t not in themes for t in r['themes']): print('line',i,'bad themes',r.get('themes')); bad+=1
    typ=batch[u]['type']
    if typ=='paragraph':
        if r.get('scie') is not None: print('line',i,'paragraph must have scie null'); bad+=1
    else:
        if r.get('scie') not in scie: print('line',i,'bad scie',r.get('scie')); bad+=1
        c[r.get('scie')]+=1
    if r.get('scie_second') not in scie|{None}: print('line',i,'bad scie_second'); bad+=1
missing=[u for u in batch if u not in seen]
print(f'{len(seen)} labelled, {len(missing)} missing, {bad} problems; scie counts {dict(c)}')
if missing: print('first missing:',missing[:5])
