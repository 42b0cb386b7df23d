import fs from 'node:fs';
import YAML from 'yaml';
const doc = YAML.parse(fs.readFileSync('../shared/specs/openai-openapi.yaml','utf8'));
const res = (o) => { while (o && o.$ref) { o = o.$ref.split('/').slice(1).reduce((a,k)=>a[k], doc); } return o; };
function sum(s, depth=0) {
  s = res(s); if (!s) return '?';
  if (depth>2) return s.type||'obj';
  if (s.anyOf||s.oneOf) return '(' + (s.anyOf||s.oneOf).map(x=>sum(x,depth+1)).join('|') + ')';
  if (s.allOf) return s.allOf.map(x=>sum(x,depth+1)).join('&');
  if (s.enum) return 'enum[' + s.enum.join(',') + ']';
  if (s.type==='array') return sum(s.items,depth+1)+'[]';
  if (s.properties) return '{' + Object.entries(s.properties).map(([k,v])=>k+((s.required||[]).includes(k)?'!':'')+':'+sum(v,depth+1)).join(', ') + (s.additionalProperties===false?' |closed':'') + '}';
  return JSON.stringify(s.type)+(s.minimum!==undefined?` min${s.minimum}`:'')+(s.maximum!==undefined?` max${s.maximum}`:'')+(s.maxLength?` maxLen${s.maxLength}`:'');
}
const want = process.argv.slice(2);
for (const [p, item] of Object.entries(doc.paths)) {
  if (!p.startsWith('/organization')) continue;
  if (want.length && !want.some(w => p.includes(w))) continue;
  for (const [m, op] of Object.entries(item)) {
    if (!['get','post','put','patch','delete'].includes(m)) continue;
    console.log(`${m.toUpperCase()} ${p}  [${op.operationId}] ${op.summary||''}`);
    for (const prm of [...(item.parameters||[]), ...(op.parameters||[])].map(res)) console.log(`   ${prm.in} ${prm.name}${prm.required?'!':''}: ${sum(prm.schema)}`);
    const rb = op.requestBody && res(op.requestBody).content?.['application/json']?.schema;
    if (rb) console.log('   body: ' + sum(rb));
    const r200 = op.responses && (op.responses['200']||op.responses['201']);
    const rs = r200 && res(r200).content?.['application/json']?.schema;
    if (rs) console.log('   200: ' + sum(rs).slice(0,300));
  }
}
