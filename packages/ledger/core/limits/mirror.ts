/**
 * Mirroring quotas to provider limits: which quota goes where, what each provider should hold,
 * and what a read of the provider means (in sync, to push, or changed by hand). Pure: the caller
 * passes a connection.
 */
import type { Queryable } from '../db';
import { QUOTA_SUBJECT } from '../quota';
import { type Item, LedgerInputError } from '../fields';
import {
	describeLimit,
	desiredLimit,
	type LimitTarget,
	observedLimit,
	type ProviderLimit,
	sameLimit,
	TARGET_NAMES,
	thresholdCents,
} from './targets';

export type MirrorPolicy = 'restore' | 'report';

interface MirrorRow {
	target: LimitTarget;
	target_id: string;
	subject_type: string;
	subject_id: string;
	policy: MirrorPolicy;
	quota_type: string;
	limit_amount: string;
	period: string;
	pushed_limit: string | null;
	pushed_reset: ProviderLimit['reset'];
	pushed_at: Date | null;
	hand_change_limit: string | null;
	hand_change_reset: ProviderLimit['reset'];
}

/** The budget for all models a subject spends, through a rotated key's alias, locked. */
const QUOTA_SQL = `
SELECT q.subject_type, q.subject_id, q.quota_type, q.limit_amount::text AS limit_amount, q.period
  FROM llm_quotas q
 WHERE (q.subject_type, q.subject_id) = (${QUOTA_SUBJECT('$1', '$2')})
   AND q.models = '' AND q.kind = 'budget'
   FOR UPDATE`;

const MIRROR_SQL = `
SELECT m.target, m.target_id, m.subject_type, m.subject_id, m.policy, q.quota_type,
       q.limit_amount::text AS limit_amount, q.period, m.pushed_limit::text AS pushed_limit,
       m.pushed_reset, m.pushed_at, m.hand_change_limit::text AS hand_change_limit, m.hand_change_reset
  FROM llm_limit_mirrors m
  JOIN llm_quotas q ON q.subject_type = m.subject_type AND q.subject_id = m.subject_id
   AND q.models = m.models AND q.kind = m.kind`;

export interface MirrorStep {
	target: LimitTarget;
	target_id: string;
	subject_type: string;
	subject_id: string;
	policy: MirrorPolicy;
	/** What the provider should hold; null limit is "no limit". */
	desired_limit: string | null;
	desired_reset: ProviderLimit['reset'];
	/** OpenAI and Anthropic: the same limit in whole cents, as their APIs hold it. */
	desired_cents: string | null;
}

const step = (row: MirrorRow, desired: ProviderLimit): MirrorStep => ({
	target: row.target,
	target_id: row.target_id,
	subject_type: row.subject_type,
	subject_id: row.subject_id,
	policy: row.policy,
	desired_limit: desired.limit,
	desired_reset: desired.reset,
	desired_cents: row.target === 'openrouter_key' ? null : thresholdCents(desired),
});

/** Mirrors a quota to a provider target (or changes the policy); checks the quota fits there. */
export async function mirrorQuota(
	db: Queryable,
	request: {
		subjectType: string;
		subjectId: string;
		target: LimitTarget;
		targetId: string;
		policy: MirrorPolicy;
	},
): Promise<MirrorStep> {
	const { rows } = await db.query<Omit<MirrorRow, 'target' | 'target_id' | 'policy'>>(QUOTA_SQL, [
		request.subjectType,
		request.subjectId,
	]);
	const quota = rows[0];
	if (!quota) {
		throw new LedgerInputError(
			'Subject ID',
			'a subject with a quota (set one with Quota Check → Set Quota first)',
			request.subjectId,
		);
	}
	const desired = desiredLimit(request.target, quota);
	await db.query(
		`INSERT INTO llm_limit_mirrors (target, target_id, subject_type, subject_id, policy)
		 VALUES ($1, $2, $3, $4, $5)
		 ON CONFLICT (target, target_id) DO UPDATE
		   SET subject_type = EXCLUDED.subject_type, subject_id = EXCLUDED.subject_id, policy = EXCLUDED.policy`,
		[request.target, request.targetId, quota.subject_type, quota.subject_id, request.policy],
	);
	return step(
		{
			...quota,
			target: request.target,
			target_id: request.targetId,
			policy: request.policy,
		} as MirrorRow,
		desired,
	);
}

/** Every mirror of the given targets with the limit its provider should hold, to be read first. */
export async function planMirrors(
	db: Queryable,
	targets: LimitTarget[],
): Promise<Array<MirrorStep & { problem: string | null }>> {
	const { rows } = await db.query<MirrorRow>(
		`${MIRROR_SQL} WHERE m.target = ANY($1::text[]) ORDER BY m.target, m.target_id`,
		[targets],
	);
	return rows.map((row) => {
		try {
			return { ...step(row, desiredLimit(row.target, row)), problem: null };
		} catch (error) {
			// A quota changed after it was mirrored so that the provider cannot hold it: told, not pushed.
			return {
				...step(row, { limit: null, reset: null }),
				desired_cents: null,
				problem: (error as Error).message,
			};
		}
	});
}

export type MirrorStatus = 'in_sync' | 'to_push' | 'changed_by_hand' | 'pushed' | 'not_applied';

export interface Comparison extends MirrorStep {
	status: MirrorStatus;
	/** Set the desired limit at the provider now. */
	push: boolean;
	observed_limit: string | null;
	observed_reset: ProviderLimit['reset'];
	/** A hand change seen for the first time: tell it. */
	new_hand_change: boolean;
	text: string;
}

/**
 * Records what the provider holds, from its read (`stage` read) or from the answer to our set
 * (`stage` pushed, the read-back). A limit that is neither ours now nor the one we last set was
 * changed by hand: told once, and set back under the 'restore' policy.
 */
export async function compareLimit(
	db: Queryable,
	request: { target: LimitTarget; targetId: string; item: Item; stage: 'read' | 'pushed' },
): Promise<Comparison> {
	const { rows } = await db.query<MirrorRow>(
		`${MIRROR_SQL} WHERE m.target = $1 AND m.target_id = $2 FOR UPDATE OF m`,
		[request.target, request.targetId],
	);
	const row = rows[0];
	if (!row) {
		throw new LedgerInputError(
			'Target ID',
			`a ${request.target} mirrored with Mirror Quota`,
			request.targetId,
		);
	}
	const desired = desiredLimit(row.target, row);
	const observed = observedLimit(row.target, request.item);
	const base = {
		...step(row, desired),
		observed_limit: observed.limit,
		observed_reset: observed.reset,
	};
	const where = `${TARGET_NAMES[row.target]} ${row.target_id}`;
	if (request.stage === 'pushed') {
		const applied = sameLimit(observed, desired);
		await db.query(
			`UPDATE llm_limit_mirrors SET observed_limit = $3, observed_reset = $4, observed_at = now()
			        ${applied ? ', pushed_limit = $3, pushed_reset = $4, pushed_at = now(), hand_change_limit = NULL, hand_change_reset = NULL, hand_change_at = NULL' : ''}
			  WHERE target = $1 AND target_id = $2`,
			[row.target, row.target_id, observed.limit, observed.reset],
		);
		return {
			...base,
			status: applied ? 'pushed' : 'not_applied',
			push: false,
			new_hand_change: false,
			text: applied
				? `Set the limit of ${where} to ${describeLimit(desired)}, as its quota says`
				: `Set the limit of ${where} to ${describeLimit(desired)}, but it reads back as ${describeLimit(observed)}`,
		};
	}
	const inSync = sameLimit(observed, desired);
	const pushed: ProviderLimit | null = row.pushed_at
		? { limit: row.pushed_limit, reset: row.pushed_reset }
		: null;
	const byHand = !inSync && pushed !== null && !sameLimit(observed, pushed);
	const seenBefore =
		row.hand_change_limit !== null || row.hand_change_reset !== null
			? sameLimit(observed, { limit: row.hand_change_limit, reset: row.hand_change_reset })
			: false;
	const newHandChange = byHand && !seenBefore;
	await db.query(
		`UPDATE llm_limit_mirrors SET observed_limit = $3, observed_reset = $4, observed_at = now()
		        ${newHandChange ? ', hand_change_limit = $3, hand_change_reset = $4, hand_change_at = now()' : ''}
		  WHERE target = $1 AND target_id = $2`,
		[row.target, row.target_id, observed.limit, observed.reset],
	);
	const push = !inSync && (!byHand || row.policy === 'restore');
	const status: MirrorStatus = inSync ? 'in_sync' : byHand ? 'changed_by_hand' : 'to_push';
	const text = byHand
		? `The limit of ${where} was changed at the provider to ${describeLimit(observed)}; its quota says ${describeLimit(desired)}${push ? ', which is set again' : ' (left as it is: policy report)'}`
		: inSync
			? `The limit of ${where} is ${describeLimit(observed)}, as its quota says`
			: `The limit of ${where} is ${describeLimit(observed)}; its quota says ${describeLimit(desired)}`;
	return { ...base, status, push, new_hand_change: newHandChange, text };
}
