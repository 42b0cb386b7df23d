import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shipped workflows are chains of our nodes and n8n's: no SQL typed into Postgres nodes and no
 * Code nodes (a workflow may carry one only with a line "Code node: <reason>" or "SQL: <reason>"
 * in its sticky note, and this test lists it).
 */
const DIR = join(__dirname, '..', '..', 'packages', 'ledger', 'workflows');
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.json'));

interface WorkflowNode {
	name: string;
	type: string;
	disabled?: boolean;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string }>;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings?: Record<string, unknown>;
}

const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;
const notes = (workflow: Workflow) =>
	workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
		.map((node) => String(node.parameters.content ?? ''));

describe('shipped workflows', () => {
	it('hold no SQL and no Code nodes', () => {
		const counts = FILES.map((file) => {
			const workflow = read(file);
			const sql = workflow.nodes.filter(
				(node) => node.type === 'n8n-nodes-base.postgres' || node.type.endsWith('.postgres'),
			).length;
			const code = workflow.nodes.filter(
				(node) => node.type === 'n8n-nodes-base.code' || node.type === 'n8n-nodes-base.function',
			).length;
			const reasons = notes(workflow)
				.flatMap((note) => note.split('\n'))
				.filter((line) => /^(Code node|SQL): \S/.test(line.trim()));
			return { file, sql, code, reasons };
		});
		const offending = counts.filter((count) => count.sql + count.code > 0);
		for (const { file, sql, code, reasons } of offending) {
			expect({ file, sql, code, reasons: reasons.length > 0 }).toEqual({
				file,
				sql,
				code,
				reasons: true,
			});
		}
		expect(offending).toEqual([]);
		expect(counts.length).toBe(15);
	});

	it('each say in a sticky note what they do and what to configure', () => {
		for (const file of FILES) {
			const text = notes(read(file)).join('\n');
			expect({ file, configure: /configure/i.test(text), length: text.length > 200 }).toEqual({
				file,
				configure: true,
				length: true,
			});
		}
	});

	it("use only our nodes and n8n's own nodes, the ledger nodes on the KeyPilot Postgres credential", () => {
		for (const file of FILES) {
			for (const node of read(file).nodes) {
				expect(node.type).toMatch(
					/^(n8n-nodes-base|@n8n\/n8n-nodes-langchain|n8n-nodes-keypilot|n8n-nodes-keypilot-ledger)\./,
				);
				if (node.type.startsWith('n8n-nodes-keypilot-ledger.')) {
					expect({ node: node.name, credential: node.credentials?.postgres?.id }).toEqual({
						node: node.name,
						credential: 'kpPostgres000001',
					});
				}
			}
		}
	});

	it('cost-sync-all calls the single-provider workflows instead of copying their nodes', () => {
		const all = read('cost-sync-all.json');
		const called = all.nodes
			.filter((node) => node.type === 'n8n-nodes-base.executeWorkflow')
			.map((node) => (node.parameters.workflowId as { value: string }).value)
			.sort();
		const byId = new Map(FILES.map((file) => [read(file).id, read(file)]));
		expect(called).toEqual(
			[
				'openai-cost-sync.json',
				'anthropic-sync.json',
				'openrouter-sync.json',
				'volcengine-sync.json',
			]
				.map((file) => read(file).id)
				.sort(),
		);
		for (const id of called) {
			const sub = byId.get(id)!;
			expect(sub.nodes.some((node) => node.type === 'n8n-nodes-base.executeWorkflowTrigger')).toBe(
				true,
			);
			// Their own schedule stays off, so publishing them for cost-sync-all does not sync twice.
			expect(
				sub.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')?.disabled,
			).toBe(true);
		}
		const providerNodes = all.nodes.filter((node) =>
			/^n8n-nodes-keypilot(-ledger)?\./.test(node.type),
		);
		expect(providerNodes).toEqual([]);
	});

	it('save no execution data for the webhook workflows, whose requests carry tokens', () => {
		for (const file of FILES) {
			const workflow = read(file);
			if (!workflow.nodes.some((node) => node.type === 'n8n-nodes-base.webhook')) continue;
			expect({ file, ...workflow.settings }).toMatchObject({
				file,
				saveDataSuccessExecution: 'none',
				saveDataErrorExecution: 'none',
				saveManualExecutions: false,
			});
		}
	});
});

describe('single-provider sync workflows', () => {
	it('end in at least one item, so the workflow calling them sees success only on its success output', () => {
		for (const file of [
			'openai-cost-sync.json',
			'anthropic-sync.json',
			'openrouter-sync.json',
			'volcengine-sync.json',
		]) {
			const stores = read(file).nodes.filter((node) => node.type.endsWith('.keypilotLedger'));
			expect({
				file,
				always: stores.every((node) => (node as { alwaysOutputData?: boolean }).alwaysOutputData),
			}).toEqual({ file, always: true });
		}
		// An Execute Workflow node that always outputs data would send an empty item to its success
		// output even when the called workflow failed.
		for (const node of read('cost-sync-all.json').nodes.filter(
			(n) => n.type === 'n8n-nodes-base.executeWorkflow',
		)) {
			expect((node as { alwaysOutputData?: boolean }).alwaysOutputData).toBeUndefined();
		}
	});
});
