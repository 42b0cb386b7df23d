import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { keyHash } from '../../../core/keyHash';
import { RequestBoundError } from '../../../core/usage/requestBound';
import { asNodeError } from '../../../common/router';
import {
	describeQuota,
	parseQuotaAmount,
	parseSubject,
	QuotaInputError,
	type QuotaRow,
	isRateLimit,
	QUOTA_EXHAUSTED,
	RATE_LIMITED,
	rateRefusal,
	scopeOf,
	type QuotaState,
	type QuotaSubject,
} from '../../../core/quota';

export interface Routed {
	/** 0: Allowed (or the only output), 1: Exhausted. */
	output: 0 | 1;
	quota: object;
	/** Reserve for Chat Request: the body to send upstream, output as `metered_request`. */
	request?: object;
	/** One result per output item, each the input item with its `quota` (Get Alerts). */
	items?: object[];
}

export function showFor(operations: string[]) {
	return { show: { operation: operations } };
}

export const subjectFields: INodeProperties[] = [
	{
		displayName: 'Subject Type',
		name: 'subjectType',
		type: 'options',
		options: [
			{
				name: 'API Key',
				value: 'api_key',
				description: 'The key itself; the node uses only its SHA-256 hash',
			},
			{ name: 'API Key Hash', value: 'key_hash', description: 'SHA-256 hex of the key' },
			{ name: 'API Key ID', value: 'key_id', description: "The provider's ID of the key" },
			{
				name: 'Internal Token Hash',
				value: 'token_hash',
				description: 'SHA-256 hex of a gateway token',
			},
			{ name: 'Organization', value: 'organization', description: 'A layer above teams' },
			{ name: 'Project', value: 'project' },
			{
				name: 'Provider Account',
				value: 'account',
				description: 'A whole account, for a budget per platform',
			},
			{ name: 'Team', value: 'team', description: 'A layer that tokens or keys sit inside' },
		],
		default: 'key_id',
		description: 'What the quota belongs to',
		displayOptions: {
			hide: { operation: ['validateSettings', 'getAlerts', 'expireReservations'] },
		},
	},
	{
		displayName: 'Key',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.key_id }}',
		description:
			'The key ID, key hash, key, token hash, project or account the quota belongs to, as chosen above',
		displayOptions: {
			hide: { operation: ['validateSettings', 'getAlerts', 'expireReservations'] },
		},
	},
];

/** The quota's subject for an item; an API key is replaced by its hash at once. */
export function readSubject(this: IExecuteFunctions, itemIndex: number): QuotaSubject {
	const type = this.getNodeParameter('subjectType', itemIndex) as string;
	const subject = parseSubject(type, this.getNodeParameter('subject', itemIndex, ''));
	return type === 'api_key' ? { type: 'key_hash', id: keyHash(subject.id) } : subject;
}

export const modelField: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'string',
	default: '',
	placeholder: 'claude-opus-4-1',
	description:
		"The request's model: quotas set for the models it matches apply too. Empty: only quotas for all models.",
	displayOptions: showFor(['check', 'reserve', 'get']),
};

export function readModel(this: IExecuteFunctions, itemIndex: number): string | null {
	const model = String(this.getNodeParameter('model', itemIndex, '') ?? '').trim();
	return model || null;
}

/** Runs a parameter reader, turning a QuotaInputError into an error that names the item. */
export function readInput<T>(node: INode, itemIndex: number, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof QuotaInputError || error instanceof RequestBoundError) {
			throw new NodeOperationError(node, `${error.message} (item ${itemIndex})`, {
				itemIndex,
				description: `Check the "${error.field}" field`,
			});
		}
		throw asNodeError(node, error, itemIndex);
	}
}

export function amountField(
	name: string,
	displayName: string,
	operations: string[],
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: '1000',
		description,
		displayOptions: showFor(operations),
	};
}

/**
 * An amount as an exact decimal of zero or more. Whether it must be whole (a token quota) only
 * the quota row knows; the statements refuse a fractional token amount without changing it.
 */
export function readAmount(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	return parseQuotaAmount('usd', this.getNodeParameter(name, itemIndex, ''), label);
}

export class AmountTypeError extends Error {
	constructor(label: string, amount: string) {
		super(`"${label}" must be a whole number of tokens for this token quota, got ${amount}`);
	}
}

/** A generic amount of one unit cannot be held on layers in both units: only a priced request can. */
export class MixedUnitsError extends Error {
	constructor(layers: QuotaRow[]) {
		const named = layers.map((layer) => `${scopeOf(layer) ?? ''} (${layer.quota_type})`);
		super(
			`"Estimated Amount" has one unit, but this subject's quotas are in tokens and USD: ${named.join(', ')}. Use Reserve for Chat Request, which prices the request in both`,
		);
	}
}

/** Why an item went to Exhausted: a spent budget, or a rate limit with when to retry. */
export function refusalOf(row: QuotaRow, message?: string) {
	if (!isRateLimit(row)) {
		return { error_code: QUOTA_EXHAUSTED, ...(message === undefined ? {} : { message }) };
	}
	const refusal = rateRefusal(row);
	return {
		error_code: RATE_LIMITED,
		message: refusal.message,
		retry_after: refusal.retryAfterSeconds,
	};
}

export type QuotaOutput = QuotaState & { subject_type: string; subject_id: string };

export function quotaOutput(subject: QuotaSubject, row: QuotaRow): QuotaOutput {
	return { subject_type: subject.type, subject_id: subject.id, ...describeQuota(row) };
}

export const noQuotaOption: INodeProperties = {
	displayName: 'When No Quota Is Set',
	name: 'whenNoQuota',
	type: 'options',
	options: [
		{ name: 'Allow', value: 'allow', description: 'A subject without a quota is not limited' },
		{
			name: 'Send to Exhausted',
			value: 'deny',
			description: 'Only subjects with a quota may pass',
		},
		{ name: 'Fail the Item', value: 'error' },
	],
	default: 'allow',
	displayOptions: showFor(['check', 'reserve']),
};

export class NoQuotaError extends Error {
	constructor(subject: QuotaSubject) {
		super(`No quota is set for ${subject.type} "${subject.id}"`);
	}
}

export function missingQuota(subject: QuotaSubject, whenNoQuota: string): Routed {
	if (whenNoQuota === 'error') throw new NoQuotaError(subject);
	const allowed = whenNoQuota !== 'deny';
	return {
		output: allowed ? 0 : 1,
		quota: {
			subject_type: subject.type,
			subject_id: subject.id,
			allowed,
			quota_limit: null,
			quota_used: null,
			remaining: null,
			warning: false,
			headers: {},
			...(allowed
				? {}
				: {
						error_code: QUOTA_EXHAUSTED,
						message: `No quota is set for this ${subject.type}`,
					}),
		},
	};
}
