/**
 * The usage report as an HTML page with SVG charts (no scripts, no external files) or as CSV,
 * from the rows Get Stats reads. Pure: no n8n import.
 */

export interface ReportData {
	start: Date;
	end: Date;
	overview: { calls?: unknown; errors?: unknown; cost_usd?: unknown };
	daily: Array<{
		day: string;
		provider: string;
		calls: unknown;
		errors: unknown;
		cost_usd: unknown;
	}>;
	/** Metered against billed cost per provider, key and day (Reconcile), when reconciled. */
	drift: Array<{
		day: string;
		provider: string;
		api_key_id: string;
		metered_usd: string;
		billed_usd: string;
		difference_usd: string;
		status: string;
	}>;
	/** Spend per layer above the keys (teams, organizations), when any key sits in one. */
	layers?: Array<{
		layer_type: string;
		layer_id: string;
		calls: unknown;
		total_tokens: unknown;
		cost_usd: unknown;
	}>;
	topKeys: Array<{
		key_hash: unknown;
		key_id: unknown;
		key_name: unknown;
		calls: unknown;
		total_tokens: unknown;
		cost_usd: unknown;
	}>;
}

export const REPORT_FORMATS = ['html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
	body: string;
	contentType: string;
	disposition: string;
}

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};
const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) starts with ' instead. */
const neutral = (text: string) =>
	/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;

const csvCell = (value: unknown) => {
	const text = neutral(String(value ?? ''));
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const driftLabel = (row: ReportData['drift'][number]) =>
	`${row.provider} ${row.api_key_id || '(no key we know)'}`;

const keyLabel = (key: ReportData['topKeys'][number]) =>
	String(
		key.key_name ?? key.key_id ?? (key.key_hash ? String(key.key_hash).slice(0, 12) : '(no key)'),
	);

export function renderReport(data: ReportData, format: ReportFormat): RenderedReport {
	return format === 'csv' ? renderCsv(data) : renderHtml(data);
}

function renderCsv(data: ReportData): RenderedReport {
	const lines = [
		[
			'section',
			'day',
			'provider_or_key',
			'calls',
			'errors',
			'tokens',
			'cost_usd',
			'billed_usd',
			'status',
		].join(','),
	];
	for (const row of data.daily) {
		lines.push(
			['daily', row.day, row.provider, row.calls, row.errors, '', row.cost_usd ?? '', '', '']
				.map(csvCell)
				.join(','),
		);
	}
	for (const key of data.topKeys) {
		lines.push(
			[
				'top_key',
				'',
				keyLabel(key),
				key.calls,
				'',
				key.total_tokens ?? '',
				key.cost_usd ?? '',
				'',
				'',
			]
				.map(csvCell)
				.join(','),
		);
	}
	for (const layer of data.layers ?? []) {
		lines.push(
			[
				'layer',
				'',
				`${layer.layer_type}:${layer.layer_id}`,
				layer.calls,
				'',
				layer.total_tokens ?? '',
				layer.cost_usd ?? '',
				'',
				'',
			]
				.map(csvCell)
				.join(','),
		);
	}
	for (const row of data.drift) {
		lines.push(
			['drift', row.day, driftLabel(row), '', '', '', row.metered_usd, row.billed_usd, row.status]
				.map(csvCell)
				.join(','),
		);
	}
	return {
		body: lines.join('\n') + '\n',
		contentType: 'text/csv; charset=utf-8',
		disposition: 'attachment; filename="llm-usage-report.csv"',
	};
}

const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04'];
const W = 900;
const H = 260;
const P = 40;

// Chart geometry only: the figures shown as text stay the exact decimal strings.
const amount = (value: unknown) => Number(value ?? 0);

function costChart(data: ReportData, days: string[], providers: string[]): string {
	const color = (provider: string) => PALETTE[providers.indexOf(provider) % PALETTE.length];
	const totals = days.map((day) =>
		data.daily.filter((row) => row.day === day).reduce((sum, row) => sum + amount(row.cost_usd), 0),
	);
	const maxCost = Math.max(...totals, 0) || 1;
	const barWidth = days.length ? Math.max(4, (W - 2 * P) / days.length - 6) : 0;
	let bars = '';
	days.forEach((day, i) => {
		let y = H - P;
		const x = P + i * (barWidth + 6);
		for (const row of data.daily.filter((r) => r.day === day)) {
			const height = (amount(row.cost_usd) / maxCost) * (H - 2 * P);
			y -= height;
			bars += `<rect x="${x}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${color(row.provider)}"><title>${esc(day)} ${esc(row.provider)}: $${esc(row.cost_usd)}</title></rect>`;
		}
		bars += `<text x="${x + barWidth / 2}" y="${H - P + 14}" font-size="10" text-anchor="middle">${esc(day.slice(5))}</text>`;
	});
	const legend = providers
		.map(
			(p, i) =>
				`<rect x="${P + i * 130}" y="8" width="12" height="12" fill="${color(p)}"/><text x="${P + i * 130 + 16}" y="18" font-size="12">${esc(p)}</text>`,
		)
		.join('');
	return `<svg id="cost-chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><line x1="${P}" y1="${H - P}" x2="${W - P}" y2="${H - P}" stroke="#888"/>${legend}${bars}</svg>`;
}

function keysChart(data: ReportData): string {
	const maxKey = Math.max(...data.topKeys.map((k) => amount(k.cost_usd)), 0) || 1;
	const bars = data.topKeys
		.map((k, i) => {
			const width = (amount(k.cost_usd) / maxKey) * (W - 320);
			return `<text x="10" y="${30 + i * 26}" font-size="12">${esc(keyLabel(k))}</text><rect x="220" y="${18 + i * 26}" width="${width.toFixed(1)}" height="16" fill="#0d9488"/><text x="${226 + width}" y="${30 + i * 26}" font-size="11">$${esc(k.cost_usd ?? '0')}</text>`;
		})
		.join('');
	return `<svg id="keys-chart" width="${W}" height="${Math.max(60, 30 + data.topKeys.length * 26)}">${bars}</svg>`;
}

function errorChart(data: ReportData, days: string[]): string {
	const rates = days.map((day) => {
		const rows = data.daily.filter((row) => row.day === day);
		const calls = rows.reduce((sum, row) => sum + Number(row.calls), 0);
		return calls ? rows.reduce((sum, row) => sum + Number(row.errors), 0) / calls : 0;
	});
	const step = days.length > 1 ? (W - 2 * P) / (days.length - 1) : 0;
	const point = (rate: number, i: number) =>
		[(P + i * step).toFixed(1), (H - P - rate * (H - 2 * P)).toFixed(1)] as const;
	const points = rates.map((rate, i) => point(rate, i).join(',')).join(' ');
	const dots = rates
		.map((rate, i) => {
			const [cx, cy] = point(rate, i);
			return `<circle cx="${cx}" cy="${cy}" r="5" fill="#dc2626"><title>${esc(days[i])}: ${(rate * 100).toFixed(1)}%</title></circle>`;
		})
		.join('');
	return `<svg id="errors-chart" width="${W}" height="${H}"><line x1="${P}" y1="${H - P}" x2="${W - P}" y2="${H - P}" stroke="#888"/><polyline points="${points}" fill="none" stroke="#dc2626" stroke-width="4"/>${dots}</svg>`;
}

function layersTable(data: ReportData): string {
	if (!data.layers?.length) return '';
	const rows = data.layers
		.map(
			(layer) =>
				`<tr><td>${esc(layer.layer_type)}</td><td>${esc(layer.layer_id)}</td><td>${esc(layer.calls)}</td><td>${esc(layer.total_tokens ?? '')}</td><td>${esc(layer.cost_usd ?? '')}</td></tr>`,
		)
		.join('');
	return `<h2>Spend by layer</h2><table id="layers"><tr><th>Layer</th><th>Name</th><th>Calls</th><th>Tokens</th><th>Cost (USD)</th></tr>${rows}</table>`;
}

function driftTable(data: ReportData): string {
	if (!data.drift.length) return '';
	const rows = data.drift
		.map(
			(row) =>
				`<tr><td>${esc(row.day)}</td><td>${esc(driftLabel(row))}</td><td>${esc(row.metered_usd)}</td><td>${esc(row.billed_usd)}</td><td>${esc(row.difference_usd)}</td><td>${esc(row.status)}</td></tr>`,
		)
		.join('');
	return `<h2>Metered against billed cost</h2><table id="drift"><tr><th>Day</th><th>Key</th><th>Metered (USD)</th><th>Billed (USD)</th><th>Difference</th><th>Status</th></tr>${rows}</table>`;
}

function renderHtml(data: ReportData): RenderedReport {
	const days = [...new Set(data.daily.map((row) => row.day))].sort();
	const providers = [...new Set(data.daily.map((row) => row.provider))].sort();
	const rows = data.daily
		.map(
			(row) =>
				`<tr><td>${esc(row.day)}</td><td>${esc(row.provider)}</td><td>${esc(row.calls)}</td><td>${esc(row.errors)}</td><td>${esc(row.cost_usd ?? '')}</td></tr>`,
		)
		.join('');
	const { calls, errors, cost_usd: cost } = data.overview;
	const html = `<!doctype html><html><head><meta charset="utf-8"><title>LLM usage report</title>
<style>body{font-family:sans-serif;margin:24px;color:#111}h1{font-size:22px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;font-size:12px}</style></head>
<body><h1>LLM usage report</h1>
<p>${esc(data.start.toISOString())} to ${esc(data.end.toISOString())}: ${esc(calls ?? 0)} calls, ${esc(errors ?? 0)} errors, $${esc(cost ?? '0')}</p>
<h2>Daily cost per provider (USD)</h2>${costChart(data, days, providers)}
<h2>Top keys by cost</h2>${keysChart(data)}
${layersTable(data)}
<h2>Error rate per day</h2>${errorChart(data, days)}
<h2>Daily detail</h2><table><tr><th>Day</th><th>Provider</th><th>Calls</th><th>Errors</th><th>Cost (USD)</th></tr>${rows}</table>
${driftTable(data)}
</body></html>`;
	return { body: html, contentType: 'text/html; charset=utf-8', disposition: 'inline' };
}
