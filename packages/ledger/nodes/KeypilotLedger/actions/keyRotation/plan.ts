import { LedgerInputError } from '../../../../core/fields';
import {
	type PlanRequest,
	planRotations,
	ROTATION_PROVIDERS,
	type RotationProvider,
} from '../../../../core/rotation/plan';
import { inTransaction } from '../../../../core/db';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

const PROVIDER_OPTIONS = [
	{ name: 'Gateway Token', value: 'gateway' },
	{ name: 'OpenAI Service-Account Key', value: 'openai' },
	{ name: 'OpenRouter Key', value: 'openrouter' },
	{ name: 'Volcengine Access Key', value: 'volcengine' },
];

function numberInRange(value: unknown, field: string, max: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
		throw new LedgerInputError(field, `a number from 0 to ${max}`, value);
	}
	return value;
}

/**
 * Starts the rotations that are due and outputs the next step of every open one: create (a new
 * key), sweep (look for a key a lost create left), or revoke (the old key, its grace period over).
 */
export const operation: Operation<PlanRequest> = {
	option: {
		name: 'Plan',
		value: 'plan',
		action: 'Plan key rotations',
		description:
			'Start rotations of keys past their age (or one key now) and output each rotation’s next step',
	},
	description: [
		{
			displayName: 'Providers',
			name: 'providers',
			type: 'multiOptions',
			options: PROVIDER_OPTIONS,
			default: ['openai', 'openrouter', 'volcengine', 'gateway'],
			description: 'Keys of these kinds are rotated; steps of other rotations wait',
		},
		{
			displayName: 'Rotate Keys Older Than (Days)',
			name: 'maxAgeDays',
			type: 'number',
			default: 90,
			typeOptions: { minValue: 0 },
			description: 'Active keys created longer ago are rotated; empty rotates none by age',
		},
		{
			displayName: 'Grace Period (Hours)',
			name: 'graceHours',
			type: 'number',
			default: 24,
			typeOptions: { minValue: 0, maxValue: 8760, numberPrecision: 2 },
			description: 'How long the old key stays valid after the new one is recorded',
		},
		{
			displayName: 'Rotate Now Is Required',
			name: 'onDemandRequired',
			type: 'boolean',
			default: false,
			description:
				'Whether this run answers a request to rotate one key now (a webhook): then Rotate Now: Provider and Key ID must both be given, and an empty request is refused instead of running a scheduled plan',
		},
		{
			displayName: 'Rotate Now: Provider',
			name: 'onDemandProvider',
			type: 'string',
			default: '',
			placeholder: 'openrouter',
			description:
				'With Rotate Now: Key ID, rotate that key whatever its age: openai, openrouter, volcengine or gateway',
		},
		{
			displayName: 'Rotate Now: Key ID',
			name: 'onDemandKeyId',
			type: 'string',
			default: '',
			description:
				'The key to rotate now: its ID in llm_api_keys (OpenRouter: the hash), or a gateway token’s hash',
		},
	],
	check(itemIndex) {
		const providers = this.getNodeParameter('providers', itemIndex, []) as RotationProvider[];
		if (!providers.length || providers.some((p) => !ROTATION_PROVIDERS.includes(p))) {
			throw new LedgerInputError(
				'Providers',
				`one or more of ${ROTATION_PROVIDERS.join(', ')}`,
				providers,
			);
		}
		const age = this.getNodeParameter('maxAgeDays', itemIndex, null) as unknown;
		const maxAgeDays =
			age === null || age === ''
				? null
				: numberInRange(age, 'Rotate Keys Older Than (Days)', 36500);
		const grace = numberInRange(
			this.getNodeParameter('graceHours', itemIndex, 24),
			'Grace Period (Hours)',
			8760,
		);
		const provider = String(this.getNodeParameter('onDemandProvider', itemIndex, '') ?? '').trim();
		const keyId = String(this.getNodeParameter('onDemandKeyId', itemIndex, '') ?? '').trim();
		if (
			this.getNodeParameter('onDemandRequired', itemIndex, false) === true &&
			!provider &&
			!keyId
		) {
			throw new LedgerInputError(
				'Rotate Now: Provider',
				`one of ${ROTATION_PROVIDERS.join(', ')}, with the key ID, for a rotate-now request`,
				provider,
			);
		}
		if (!provider !== !keyId) {
			throw new LedgerInputError(
				keyId ? 'Rotate Now: Provider' : 'Rotate Now: Key ID',
				'set together with the other Rotate Now field, or both empty',
				keyId ? provider : keyId,
			);
		}
		if (provider && !providers.includes(provider as RotationProvider)) {
			throw new LedgerInputError(
				'Rotate Now: Provider',
				`one of the chosen Providers (${providers.join(', ')})`,
				provider,
			);
		}
		return {
			providers,
			maxAgeDays,
			graceSeconds: Math.round(grace * 3600),
			onDemand: provider ? { provider: provider as RotationProvider, keyId } : null,
		};
	},
	write: inLedger(async function (db, inputs) {
		const output = [];
		for (const { item, input } of inputs) {
			const steps = await inTransaction(db, async () => await planRotations(db, input));
			for (const step of steps) output.push({ json: { ...step }, pairedItem: { item } });
		}
		return output;
	}),
};
