// `npm run pictures`: draws each workflow in workflows/ as it sits on the n8n canvas (nodes at
// their positions, connections, named outputs) into docs/workflows/<name>.svg for the README.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 80;
const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const OUTPUT_NAMES = {
	'n8n-nodes-base.if': ['true', 'false'],
	'n8n-nodes-keypilot-ledger.quotaCheck': ['Allowed', 'Exhausted'],
	'n8n-nodes-keypilot-ledger.keypilotGateway': ['Refused', 'Provider Error', 'Quota', 'Suspended', 'Every Request'],
};

const SHORT = {
	respondToWebhook: 'respond',
	scheduleTrigger: 'schedule',
	manualTrigger: 'manual',
	httpRequest: 'HTTP',
	openAiAdmin: 'OpenAI',
	claudeAdmin: 'Claude',
	openRouter: 'OpenRouter',
	volcengine: 'Volcengine',
	quotaCheck: 'quota',
	usageLogger: 'usage',
	keypilotLedger: 'ledger',
	keypilotChatModel: 'model',
	keypilotGateway: 'gateway',
	agent: 'AI agent',
	chatTrigger: 'chat',
	toolCalculator: 'tool',
	executeWorkflow: 'sub-workflow',
	executeWorkflowTrigger: 'called',
	stopAndError: 'stop',
	emailSend: 'email',
};

function kind(type) {
	if (/^n8n-nodes-keypilot(-ledger)?\./.test(type)) return { fill: '#ede9fe', stroke: '#7c3aed' };
	if (/Trigger$|webhook$/i.test(type)) return { fill: '#fff7ed', stroke: '#ea580c' };
	if (type.endsWith('.postgres')) return { fill: '#e0f2fe', stroke: '#0369a1' };
	return { fill: '#f4f4f5', stroke: '#52525b' };
}

function draw(full) {
	// Sticky notes are the workflow's text, not part of its flow.
	const workflow = { ...full, nodes: full.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote') };
	const nodes = new Map(workflow.nodes.map((node) => [node.name, node]));
	const xs = workflow.nodes.map((n) => n.position[0]);
	const ys = workflow.nodes.map((n) => n.position[1]);
	const [minX, minY] = [Math.min(...xs) - 60, Math.min(...ys) - 60];
	const width = Math.max(...xs) - minX + SIZE + 160;
	const height = Math.max(...ys) - minY + SIZE + 90;
	const at = (node) => [node.position[0] - minX, node.position[1] - minY];
	let edges = '';
	for (const [source, { main }] of Object.entries(workflow.connections)) {
		const from = nodes.get(source);
		(main ?? []).forEach((targets, output) => {
			const outputs = (main ?? []).length;
			for (const target of targets ?? []) {
				const to = nodes.get(target.node);
				if (!from || !to) continue;
				const [x1, y1] = at(from);
				const [x2, y2] = at(to);
				const sy = y1 + (SIZE * (output + 1)) / (outputs + 1);
				const ty = y2 + SIZE / 2;
				const sx = x1 + SIZE;
				const mid = (sx + x2) / 2;
				const isError = from.onError === 'continueErrorOutput' && output === outputs - 1 && outputs > 1;
				edges += `<path d="M${sx},${sy} C${mid},${sy} ${mid},${ty} ${x2},${ty}" fill="none" stroke="${isError ? '#dc2626' : '#71717a'}" stroke-width="1.6" marker-end="url(#arrow)"/>`;
				const named = from.type.endsWith('.quotaCheck') && !['reserve', 'reserveChat', 'check', undefined].includes(from.parameters?.operation) ? undefined : OUTPUT_NAMES[from.type];
				const label = isError ? 'error' : (named?.[output] ?? (from.type.endsWith('.switch') ? (from.parameters?.rules?.values?.[output]?.outputKey ?? 'other') : ''));
				if (label && outputs > 1) edges += `<text x="${sx + 4}" y="${sy - 4}" font-size="10" fill="#52525b">${esc(label)}</text>`;
			}
		});
	}
	// Sub-nodes (a model, a tool) hang below the node they serve, joined from their top.
	const SUB_LABELS = { ai_languageModel: 'model', ai_tool: 'tool', ai_memory: 'memory' };
	for (const [source, outputs] of Object.entries(workflow.connections)) {
		for (const [type, lists] of Object.entries(outputs)) {
			if (type === 'main') continue;
			for (const target of (lists ?? []).flat()) {
				const from = nodes.get(source);
				const to = nodes.get(target.node);
				if (!from || !to) continue;
				const [x1, y1] = at(from);
				const [x2, y2] = at(to);
				edges += `<path d="M${x1 + SIZE / 2},${y1} L${x2 + SIZE / 2},${y2 + SIZE}" fill="none" stroke="#7c3aed" stroke-width="1.6" stroke-dasharray="6 4"/>`;
				edges += `<text x="${(x1 + x2) / 2 + SIZE / 2 + 4}" y="${(y1 + y2 + SIZE) / 2}" font-size="10" fill="#7c3aed">${esc(SUB_LABELS[type] ?? type)}</text>`;
			}
		}
	}
	let boxes = '';
	for (const node of workflow.nodes) {
		const [x, y] = at(node);
		const { fill, stroke } = kind(node.type);
		const dash = node.disabled ? ' stroke-dasharray="5 4" opacity="0.6"' : '';
		boxes += `<rect x="${x}" y="${y}" width="${SIZE}" height="${SIZE}" rx="12" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`;
		boxes += `<text x="${x + SIZE / 2}" y="${y + SIZE / 2 + 5}" font-size="11" text-anchor="middle" fill="${stroke}">${esc(SHORT[node.type.split('.').pop()] ?? node.type.split('.').pop())}</text>`;
		const words = node.name.split(' ');
		const lines = [];
		for (const word of words) {
			const last = lines[lines.length - 1];
			if (last && (last + ' ' + word).length <= 16) lines[lines.length - 1] = `${last} ${word}`;
			else lines.push(word);
		}
		lines.forEach((line, i) => {
			boxes += `<text x="${x + SIZE / 2}" y="${y + SIZE + 14 + i * 12}" font-size="11" text-anchor="middle" fill="#18181b">${esc(line)}</text>`;
		});
	}
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#71717a"/></marker></defs>
<rect width="100%" height="100%" fill="#fafafa"/>
<text x="16" y="24" font-size="14" font-weight="bold" fill="#18181b">${esc(workflow.name)}</text>
${edges}
${boxes}
</svg>
`;
}

for (const file of readdirSync(join(repoRoot, 'packages', 'ledger', 'workflows')).filter((name) => name.endsWith('.json'))) {
	const workflow = JSON.parse(readFileSync(join(repoRoot, 'packages', 'ledger', 'workflows', file), 'utf8'));
	const target = join(repoRoot, 'docs', 'workflows', `${basename(file, '.json')}.svg`);
	writeFileSync(target, draw(workflow));
	console.log(`drew ${target}`);
}
