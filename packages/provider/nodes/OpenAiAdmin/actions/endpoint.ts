import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shiftDecimal } from '../../../common/money';
import { csvList, locatorField, requiredString, returnAllOrLimit } from '../../../common/fields';
import { segment, type ApiRequest, type Query } from '../../../transport/provider';
import { openAi, openAiList } from './common';

/**
 * Most Administration API operations are one request whose path holds ids and whose body or
 * query holds a few typed fields. An operation file declares that request; this turns it into
 * the operation's fields and its execute function, with the same checks everywhere.
 */

/** Where a field's value goes: `body.name`, `body.notification_channel.recipients`, `query.emails`. */
type Target = `body.${string}` | `query.${string}`;

interface FieldBase {
	name: string;
	label: string;
	to: Target;
	required?: boolean;
	description?: string;
	placeholder?: string;
	/** For a scoped endpoint: the field is shown and sent only in this scope. */
	scope?: 'organization' | 'project';
}

export type EndpointField = FieldBase &
	(
		| { type: 'string'; maxLength?: number; rows?: number }
		| { type: 'list'; maxItems?: number }
		| { type: 'options'; values: Array<[value: string, name: string]>; default: string }
		/** Sent as given, or as `whenTrue` when switched on and left out when off. */
		| { type: 'boolean'; default: boolean; whenTrue?: string[] }
		/** Leave unchanged, or switch on or off: sent as true/false only when chosen. */
		| { type: 'toggle' }
		/** A USD amount typed as a decimal, sent as whole cents. */
		| { type: 'usdCents' }
	);

export interface EndpointSpec {
	method: ApiRequest['method'];
	/**
	 * The API path with `{projectId}`-style placeholders. With `scoped`, the path below the
	 * organization or project (`/spend_alerts/{alertId}`), and a Scope field chooses which.
	 */
	path: string;
	scoped?: boolean;
	/** A list endpoint, read with "Return All" / "Limit" through OpenAI's `after` cursor. */
	list?: boolean;
	fields?: EndpointField[];
	/** Values the API requires but allows only one of, such as `body.currency: 'USD'`. */
	constants?: Partial<Record<Target, string>>;
	/** Adds readable fields to each returned object, such as a cents amount in dollars. */
	output?: (body: IDataObject) => IDataObject;
}

const ID_FIELDS: Record<string, [label: string, placeholder: string]> = {
	alertId: ['Alert ID', 'spend_alert_abc123'],
	certificateId: ['Certificate ID', 'cert_abc123'],
	groupId: ['Group ID', 'group_abc123'],
	inviteId: ['Invite ID', 'invite-abc123'],
	projectId: ['Project ID', 'proj_abc123'],
	roleId: ['Role ID', 'role_abc123'],
	serviceAccountId: ['Service Account ID', 'svc_acct_abc123'],
	userId: ['User ID', 'user_abc123'],
};

function placeholders(path: string): string[] {
	return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

function describeField(field: EndpointField, display: INodeProperties['displayOptions']) {
	const base = {
		displayName: field.label,
		name: field.name,
		required: field.required,
		description: field.description,
		placeholder: field.placeholder,
		displayOptions: display,
	};
	switch (field.type) {
		case 'string':
			return {
				...base,
				type: 'string',
				default: '',
				...(field.rows ? { typeOptions: { rows: field.rows } } : {}),
			} as INodeProperties;
		case 'list':
			return { ...base, type: 'string', default: '' } as INodeProperties;
		case 'options':
			return {
				...base,
				type: 'options',
				options: field.values.map(([value, name]) => ({ name, value })),
				default: field.default,
			} as INodeProperties;
		case 'boolean':
			return { ...base, type: 'boolean', default: field.default } as INodeProperties;
		case 'usdCents':
			return { ...base, type: 'string', default: '' } as INodeProperties;
		case 'toggle':
			return {
				...base,
				type: 'options',
				options: [
					{ name: 'Unchanged', value: '' },
					{ name: 'Enabled', value: 'enabled' },
					{ name: 'Disabled', value: 'disabled' },
				],
				default: '',
			} as INodeProperties;
	}
}

function invalid(
	context: IExecuteFunctions,
	i: number,
	label: string,
	expected: string,
	got: unknown,
) {
	return new NodeOperationError(
		context.getNode(),
		`"${label}" must be ${expected}, got ${JSON.stringify(got)} (item ${i})`,
		{ itemIndex: i },
	);
}

/** The field's value as the API takes it, or undefined when an optional field is left empty. */
function readField(context: IExecuteFunctions, field: EndpointField, i: number): unknown {
	const raw = context.getNodeParameter(field.name, i, undefined) as unknown;
	const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
	if (empty && field.type !== 'boolean') {
		if (field.required) return requiredString.call(context, field.name, field.label, i);
		return undefined;
	}
	switch (field.type) {
		case 'string': {
			const text = String(raw).trim();
			if (field.maxLength !== undefined && text.length > field.maxLength)
				throw invalid(
					context,
					i,
					field.label,
					`at most ${field.maxLength} characters`,
					text.length,
				);
			return text;
		}
		case 'list': {
			const values = csvList(raw);
			if (field.maxItems !== undefined && values.length > field.maxItems)
				throw invalid(context, i, field.label, `at most ${field.maxItems} values`, values.length);
			return values;
		}
		case 'options': {
			const allowed = field.values.map(([value]) => value);
			if (!allowed.includes(String(raw)))
				throw invalid(context, i, field.label, `one of ${allowed.filter(Boolean).join(', ')}`, raw);
			return raw === '' ? undefined : raw;
		}
		case 'boolean':
			if (typeof raw !== 'boolean') throw invalid(context, i, field.label, 'true or false', raw);
			if (field.whenTrue) return raw ? field.whenTrue : undefined;
			return raw;
		case 'usdCents':
			return usdToCents(context, field.label, String(raw).trim(), i);
		case 'toggle':
			if (raw !== 'enabled' && raw !== 'disabled')
				throw invalid(context, i, field.label, 'enabled, disabled or empty', raw);
			return raw === 'enabled';
	}
}

function usdToCents(context: IExecuteFunctions, label: string, value: string, i: number): number {
	const expected = 'a USD amount of at least 0.01 with at most 2 decimals, such as 250 or 99.50';
	if (!/^\d+(\.\d{1,2})?$/.test(value)) throw invalid(context, i, label, expected, value);
	const cents = shiftDecimal(value, 2);
	if (cents === '0' || cents.length > 15) throw invalid(context, i, label, expected, value);
	return Number(cents);
}

function place(target: IDataObject, path: string[], value: unknown): void {
	const [head, ...rest] = path;
	if (rest.length === 0) {
		target[head] = value as IDataObject[string];
		return;
	}
	const child = (target[head] ??= {}) as IDataObject;
	place(child, rest, value);
}

/** The fields and execute function of one endpoint operation. */
export function endpoint(resource: string, operation: string, spec: EndpointSpec) {
	const show = (extra: IDataObject = {}): INodeProperties['displayOptions'] => ({
		show: { resource: [resource], operation: [operation], ...extra },
	});
	const ids = placeholders(spec.path);
	const description: INodeProperties[] = [];
	if (spec.scoped) {
		description.push({
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Organization', value: 'organization' },
				{ name: 'Project', value: 'project' },
			],
			default: 'organization',
			displayOptions: show(),
		});
		description.push(idFieldFor('projectId', show({ scope: ['project'] })));
	}
	for (const id of ids) description.push(idFieldFor(id, show()));
	for (const field of spec.fields ?? [])
		description.push(describeField(field, show(field.scope ? { scope: [field.scope] } : {})));
	if (spec.list) description.push(...returnAllOrLimit(resource, operation));

	async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject | IDataObject[]> {
		const scope = spec.scoped ? (this.getNodeParameter('scope', i) as string) : undefined;
		let path = spec.path;
		for (const id of ids) {
			const value = requiredString.call(this, id, ID_FIELDS[id][0], i);
			path = path.replace(`{${id}}`, segment(value));
		}
		if (spec.scoped) {
			if (scope !== 'organization' && scope !== 'project')
				throw invalid(this, i, 'Scope', 'organization or project', scope);
			const prefix =
				scope === 'project'
					? `/organization/projects/${segment(requiredString.call(this, 'projectId', 'Project ID', i))}`
					: '/organization';
			path = prefix + path;
		}
		const body: IDataObject = {};
		const query: Query = {};
		for (const [target, value] of Object.entries(spec.constants ?? {}))
			place(body, target.split('.').slice(1), value);
		for (const field of spec.fields ?? []) {
			if (field.scope && field.scope !== scope) continue;
			const value = readField(this, field, i);
			if (value === undefined) continue;
			const [where, ...key] = field.to.split('.');
			if (where === 'query') query[key.join('.')] = value as Query[string];
			else place(body, key, value);
		}
		const request: ApiRequest = {
			method: spec.method,
			path,
			query,
			...(spec.method === 'POST' ? { body } : {}),
			itemIndex: i,
		};
		const output = spec.output ?? ((value: IDataObject) => value);
		if (spec.list) return (await openAiList.call(this, request)).map(output);
		return output(await openAi.call(this, request));
	}

	return { description, execute };
}

/** List searches for the ids a user picks from a list; the others are typed. */
const SEARCHES: Record<string, string> = {
	projectId: 'searchProjects',
	serviceAccountId: 'searchServiceAccounts',
};

function idFieldFor(name: string, display: INodeProperties['displayOptions']): INodeProperties {
	const [label, placeholder] = ID_FIELDS[name] ?? [name, ''];
	return locatorField({
		name,
		displayName: label,
		placeholder,
		search: SEARCHES[name],
		display: display ?? {},
	});
}

/** A `threshold_amount` in cents also shown in dollars, as an exact decimal string. */
export function withThresholdUsd(body: IDataObject): IDataObject {
	const cents = body.threshold_amount;
	if (typeof cents !== 'number' && typeof cents !== 'string') return body;
	return { ...body, threshold_usd: shiftDecimal(cents, -2) };
}
