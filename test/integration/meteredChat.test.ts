/**
 * The metered chat path on a real Postgres: Quota Check's Reserve for Chat Request holds a proven
 * bound and returns the request to send; the Usage Logger writes the usage row and settles the
 * reservation in one transaction, charging the whole reservation when usage is missing.
 */

import type { IDataObject } from 'n8n-workflow';

import { QuotaCheck } from '../../packages/ledger/nodes/QuotaCheck/QuotaCheck.node';
import { UsageLogger } from '../../packages/ledger/nodes/UsageLogger/UsageLogger.node';
import * as fixtures from '../fixtures/usage';
import { TestPostgres } from '../helpers/postgres';
import { runWithPostgres } from '../helpers/postgresNode';

jest.setTimeout(5 * 60 * 1000);

const postgres = new TestPostgres();

beforeAll(async () => {
	await postgres.start();
	await postgres.createDatabase('keypilot');
	await postgres.setUpLedger('keypilot');
});

afterAll(async () => {
	await postgres.stop();
});

const quota = (subject: string) =>
	postgres
		.query<{
			used: string;
			reserved: string;
		}>('keypilot', 'SELECT used::text, reserved::text FROM llm_quotas WHERE subject_id = $1', [
			subject,
		])
		.then((rows) => rows[0]);

async function setQuota(subject: string, quotaType: string, limit: string) {
	await runWithPostgres(
		new QuotaCheck(),
		postgres,
		{ operation: 'set', subjectType: 'token_hash', subject, quotaType, limit, period: 'none' },
		[{}],
	);
}

async function reserveChat(subject: string, body: IDataObject, onError?: 'continueRegularOutput') {
	return await runWithPostgres(
		new QuotaCheck(),
		postgres,
		{
			operation: 'reserveChat',
			subjectType: 'token_hash',
			subject,
			requestBody: body,
		},
		[{ caller: 'a' }],
		{ onError },
	);
}

async function logAndSettle(
	subject: string,
	reservationId: string,
	response: unknown,
	requestBody: unknown = '',
) {
	const [output] = await runWithPostgres(
		new UsageLogger(),
		postgres,
		{
			operation: 'log',
			inputMode: 'response',
			response: response as IDataObject,
			requestBody: requestBody as IDataObject,
			settleReservation: true,
			settleSubjectType: 'token_hash',
			settleSubject: subject,
			reservationId,
		},
		[{ caller: 'a' }],
	);
	return output[0].json;
}

describe('Reserve for Chat Request', () => {
	it('holds prompt bound plus output, sets a missing max_tokens to what is left, and asks a stream for usage', async () => {
		await setQuota('chat-a', 'tokens', '1000');
		const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true };
		const [allowed] = await reserveChat('chat-a', body);
		const item = allowed[0].json as IDataObject & {
			quota: IDataObject;
			metered_request: IDataObject;
		};
		const prompt = item.quota.prompt_tokens_bound as number;
		expect(item.metered_request).toEqual({
			...body,
			max_tokens: 1000 - prompt,
			stream_options: { include_usage: true },
		});
		expect(item.quota).toMatchObject({ allowed: true, reserved_amount: '1000', quota_used: 1000 });
		const [, exhausted] = await reserveChat('chat-a', body);
		expect(exhausted[0].json.quota).toMatchObject({
			allowed: false,
			error_code: 'API_KEY_QUOTA_EXHAUSTED',
		});
		expect(await quota('chat-a')).toEqual({ used: '0', reserved: '1000' });
	});

	it('refuses a request it cannot bound, naming the field, before anything is held', async () => {
		await setQuota('chat-b', 'tokens', '1000');
		const [allowed, exhausted] = await reserveChat(
			'chat-b',
			{ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], max_tokens: -5 },
			'continueRegularOutput',
		);
		expect(allowed).toEqual([]);
		expect(exhausted[0].json.quota).toMatchObject({
			allowed: false,
			error_code: 'QUOTA_INPUT_INVALID',
			message: expect.stringContaining('"max_tokens" must be a whole number'),
		});
		expect(await quota('chat-b')).toEqual({ used: '0', reserved: '0' });
	});

	it('refuses a model without a known price on a USD quota', async () => {
		await setQuota('chat-c', 'usd', '5');
		const [allowed, exhausted] = await reserveChat(
			'chat-c',
			{
				model: 'no-such-model-anywhere',
				messages: [{ role: 'user', content: 'Hi' }],
				max_tokens: 5,
			},
			'continueRegularOutput',
		);
		expect(allowed).toEqual([]);
		expect(exhausted[0].json.quota).toMatchObject({
			error_code: 'QUOTA_INPUT_INVALID',
			message: expect.stringContaining('No price is known for model "no-such-model-anywhere"'),
		});
	});
});

describe('Usage Logger: log and settle in one transaction', () => {
	it('charges the tokens the provider reported, once', async () => {
		await setQuota('settle-a', 'tokens', '10000');
		const [allowed] = await reserveChat('settle-a', {
			model: 'gpt-4o',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 3000,
		});
		const reservationId = (allowed[0].json.quota as IDataObject).reservation_id as string;
		const logged = await logAndSettle('settle-a', reservationId, fixtures.openAiChat);
		expect(logged.quota).toMatchObject({
			settled: true,
			charged: '2463',
			charged_reservation: false,
			over_reservation: false,
		});
		expect(await quota('settle-a')).toEqual({ used: '2463', reserved: '0' });
		// Logged again (an execution run twice): nothing more is charged or stored.
		expect(
			(await logAndSettle('settle-a', reservationId, fixtures.openAiChat)).quota,
		).toMatchObject({ settled: false });
		expect(await quota('settle-a')).toEqual({ used: '2463', reserved: '0' });
	});

	it('charges the whole reservation when the Request Body cannot be read: the searches it asked for are not known', async () => {
		await setQuota('settle-body', 'tokens', '10000');
		const [allowed] = await reserveChat('settle-body', {
			model: 'gpt-4o',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 500,
		});
		const held = allowed[0].json.quota as IDataObject;
		const logged = await logAndSettle(
			'settle-body',
			held.reservation_id as string,
			fixtures.openAiChat,
			'{"model": ',
		);
		expect(logged.quota).toMatchObject({ settled: true, charged: held.reserved_amount });
		expect(await quota('settle-body')).toEqual({ used: held.reserved_amount, reserved: '0' });
		expect(logged.usage).toMatchObject({
			usage_complete: false,
			error_message: expect.stringContaining('"Request Body" must be the JSON request'),
		});
	});

	it('charges the whole reservation for a 200 answer without usage, and logs it incomplete', async () => {
		await setQuota('settle-b', 'tokens', '10000');
		const [allowed] = await reserveChat('settle-b', {
			model: 'gpt-4o',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 500,
		});
		const held = allowed[0].json.quota as IDataObject;
		const { usage: _dropped, ...withoutUsage } = fixtures.openAiChat;
		const logged = await logAndSettle('settle-b', held.reservation_id as string, {
			...withoutUsage,
			id: 'chatcmpl-no-usage',
		});
		expect(logged.quota).toMatchObject({
			settled: true,
			charged: held.reserved_amount,
			charged_reservation: true,
		});
		expect(await quota('settle-b')).toEqual({ used: held.reserved_amount, reserved: '0' });
		const [row] = await postgres.query(
			'keypilot',
			'SELECT usage_complete, error_message FROM llm_usage_log WHERE request_id = $1',
			['chatcmpl-no-usage'],
		);
		expect(row).toEqual({
			usage_complete: false,
			error_message: 'The response has no "usage": it carries no token counts',
		});
	});

	it('charges a stream that ended without usage in full, and a USD quota its exact cost', async () => {
		await setQuota('settle-c', 'tokens', '10000');
		const [allowed] = await reserveChat('settle-c', {
			model: 'gpt-4o',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 400,
			stream: true,
		});
		const held = allowed[0].json.quota as IDataObject;
		const truncated = fixtures.openAiChatStream
			.split('\n\n')
			.filter((event) => !event.includes('"usage"'))
			.join('\n\n');
		const logged = await logAndSettle('settle-c', held.reservation_id as string, truncated);
		expect(logged.quota).toMatchObject({
			charged: held.reserved_amount,
			charged_reservation: true,
		});

		await setQuota('settle-d', 'usd', '5');
		const [usd] = await reserveChat('settle-d', {
			model: 'gpt-4o',
			messages: [{ role: 'user', content: 'Hi' }],
			max_tokens: 3000,
		});
		const usdHeld = usd[0].json.quota as IDataObject;
		const usdLogged = await logAndSettle('settle-d', usdHeld.reservation_id as string, {
			...fixtures.openAiChat,
			id: 'chatcmpl-usd',
		});
		const usage = usdLogged.usage as IDataObject;
		expect(usdLogged.quota).toMatchObject({
			settled: true,
			charged: usage.cost_usd,
			charged_reservation: false,
		});
		expect(await quota('settle-d')).toEqual({ used: usage.cost_usd, reserved: '0' });
	});
});
