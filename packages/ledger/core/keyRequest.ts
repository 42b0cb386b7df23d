/**
 * The body of a request for a new key (the key webhook's POST /webhook/keys), checked whole before
 * anything is created: every field by a schema (zod), the quota by the same rules as Quota Check.
 * A refusal names the field, what it must be and what came. Pure: no n8n import.
 */
import { z } from 'zod';

import {
	parseQuotaAmount,
	parseWarningPercent,
	PARENT_TYPES,
	QUOTA_PERIODS,
	QUOTA_TYPES,
	type QuotaInputError,
} from './quota/parse';

export const KEY_PROVIDERS = ['openai', 'openrouter', 'volcengine', 'gateway'] as const;
const RESETS = ['none', 'daily', 'weekly', 'monthly'] as const;

/** What each field must be, as a refusal says it. */
const EXPECTED: Record<string, string> = {
	provider: `one of ${KEY_PROVIDERS.join(', ')}`,
	name: 'a name of 1 to 100 characters without control characters',
	project_id: 'the ID of the OpenAI project the key is for, such as proj_abc123',
	credit_limit: 'an amount in USD, zero or more, or null for no limit',
	limit_reset: `one of ${RESETS.join(', ')}`,
	user_name: 'a Volcengine IAM user name of 1 to 64 characters',
	routes: 'an array of routes such as ["/v1/chat/completions"]',
	models: 'an array of model names',
	upstream: 'the name of an upstream in llm_upstreams',
	parent: 'an object with type (team, organization, project or account) and id',
	'parent.type': 'one of team, organization, project, account',
	'parent.id': 'a name of 1 to 200 characters',
	quota: 'an object with limit and optionally type, period and warning_percent',
	'quota.type': `one of ${QUOTA_TYPES.join(', ')}`,
	'quota.limit': 'a number (0 for no limit)',
	'quota.period': `one of ${QUOTA_PERIODS.join(', ')}`,
	'quota.warning_percent': 'a percentage above 0 and at most 100',
};

const name = z
	.string()
	.min(1)
	.max(100)
	.refine((text) => ![...text].some((char) => char < ' ' || char === '\u007f'));
const amount = z.union([z.number(), z.string()]);
const quota = z
	.object({
		type: z.enum(QUOTA_TYPES).default('tokens'),
		limit: amount,
		period: z.enum(QUOTA_PERIODS).default('none'),
		warning_percent: amount.nullable().optional(),
	})
	.strict();
/** The layer the new key's requests also spend on. */
const parent = z
	.object({
		type: z.enum(PARENT_TYPES),
		id: z.string().trim().min(1).max(200),
	})
	.strict();
const common = { name, quota: quota.nullable().optional(), parent: parent.nullable().optional() };

const schema = z.discriminatedUnion('provider', [
	z
		.object({
			provider: z.literal('openai'),
			project_id: z.string().regex(/^proj_[A-Za-z0-9]+$/),
			...common,
		})
		.strict(),
	z
		.object({
			provider: z.literal('openrouter'),
			credit_limit: z.number().finite().min(0).nullable().optional(),
			limit_reset: z.enum(RESETS).optional(),
			...common,
		})
		.strict(),
	z
		.object({
			provider: z.literal('volcengine'),
			user_name: z.string().min(1).max(64).optional(),
			...common,
		})
		.strict(),
	z
		.object({
			provider: z.literal('gateway'),
			routes: z.array(z.string().min(1)).optional(),
			models: z.array(z.string().min(1)).optional(),
			upstream: z.string().min(1).optional(),
			...common,
		})
		.strict(),
]);

export type KeyRequest = z.infer<typeof schema>;

export type CheckedKeyRequest =
	| { valid: true; request: KeyRequest & { quota: NormalizedQuota | null } }
	| { valid: false; field: string; message: string };

interface NormalizedQuota {
	type: (typeof QUOTA_TYPES)[number];
	limit: string;
	period: (typeof QUOTA_PERIODS)[number];
	warning_percent: string | null;
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(body: unknown, path: Array<string | number>): unknown {
	let value = body;
	for (const part of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string | number, unknown>)[part];
	}
	return value;
}

/** The first thing wrong with the body, said as a person would need it. */
function refusal(body: unknown, issue: z.ZodIssue): { field: string; message: string } {
	if (issue.code === 'unrecognized_keys') {
		const field = [...issue.path, issue.keys[0]].join('.');
		const provider = (body as { provider?: unknown }).provider;
		return {
			field,
			message: `"${field}" is not a field of a ${String(provider)} key request`,
		};
	}
	const field = issue.path.join('.') || 'provider';
	const expected = EXPECTED[field.replace(/\.\d+$/, '')] ?? 'valid';
	const value = valueAt(body, issue.path.length ? issue.path : ['provider']);
	return { field, message: `"${field}" must be ${expected}, got ${describe(value)}` };
}

export function checkKeyRequest(body: unknown): CheckedKeyRequest {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return {
			valid: false,
			field: 'body',
			message: `The request body must be a JSON object, got ${describe(body)}`,
		};
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) return { valid: false, ...refusal(body, parsed.error.issues[0]) };
	const given = parsed.data.quota;
	if (!given) return { valid: true, request: { ...parsed.data, quota: null } };
	try {
		const limit = parseQuotaAmount(given.type, given.limit, 'quota.limit');
		const warning = parseWarningPercent(given.warning_percent);
		return {
			valid: true,
			request: {
				...parsed.data,
				quota: { type: given.type, limit, period: given.period, warning_percent: warning },
			},
		};
	} catch (error) {
		// The quota parsers throw nothing else.
		const problem = error as QuotaInputError;
		const field = problem.field === 'Warning Threshold' ? 'quota.warning_percent' : problem.field;
		const value = field === 'quota.warning_percent' ? given.warning_percent : given.limit;
		const expected = problem.message.replace(/^"[^"]+" must be (.*), got .*$/s, '$1');
		return {
			valid: false,
			field,
			message: `"${field}" must be ${expected}, got ${describe(value)}`,
		};
	}
}
