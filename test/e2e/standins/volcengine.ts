import { verifyVolcengineSignature, volcengineErrorBody } from '../../helpers/volcengineVerifier';
import { json, StandIn } from './server';

export const VOLCENGINE_AK = 'AKLTe2eAccessKeyId000000001';
export const VOLCENGINE_SK = 'TmpRd01UYzBOVFl0WlRKbFpTMDBabVpqTFdGbU5qZ3RaVEUxWldZMk1UQXpZVGN6';
export const ACCOUNT_ID = 2100123456;

export const BALANCE = {
	AccountID: ACCOUNT_ID,
	AvailableBalance: '98765.4321',
	CashBalance: '100000000.01',
	CreditLimit: '0',
	ArrearsBalance: '0.00',
	FreezeAmount: '12.5',
	Currency: 'CNY',
};

/** 101 products, so the overview needs two pages of 100; amounts exact to 10 places. */
export const OVERVIEW_ROWS = Array.from({ length: 101 }, (_, n) => ({
	BillPeriod: '',
	OwnerID: String(ACCOUNT_ID),
	PayerID: String(ACCOUNT_ID),
	Product: n === 0 ? 'ark' : `product_${String(n).padStart(3, '0')}`,
	ProductZh: n === 0 ? '火山方舟' : `产品${n}`,
	BillingMode: n % 2 === 0 ? 'PostPaid' : 'PrePaid',
	PayableAmount: n === 0 ? '100000000.01' : `${n}.${String(n).padStart(10, '0')}`,
	OriginalBillAmount: n === 0 ? '123456789.0123456789' : `${n + 1}.5`,
	Currency: 'CNY',
}));

export const ACCESS_KEYS = [
	{
		AccessKeyId: 'AKLTownKey01',
		UserName: '',
		Status: 'active',
		CreateDate: '20260102T030405Z',
		UpdateDate: '20260102T030405Z',
	},
	{
		AccessKeyId: 'AKLTbotKey02',
		UserName: 'ops-bot',
		Status: 'inactive',
		CreateDate: '2026-03-04T05:06:07Z',
		UpdateDate: '2026-03-04T05:06:07Z',
	},
];

const SERVICE_OF_ACTION: Record<string, string> = {
	QueryBalanceAcct: 'billing',
	ListBillOverviewByProd: 'billing',
	ListAccessKeys: 'iam',
	CreateAccessKey: 'iam',
	ListApiKeys: 'iam',
};

/** 150 API keys: more than one page of 100, fewer than ListApiKeys' largest page of 1000. */
export const API_KEYS = Array.from({ length: 150 }, (_, n) => ({
	Id: `apikey-${String(n).padStart(3, '0')}`,
	Name: `service-${n}`,
	Status: n % 10 === 9 ? 'inactive' : 'active',
	CreateDate: '20260102T030405Z',
	UpdateDate: '20260102T030405Z',
}));

function result(action: string, body: object) {
	return {
		ResponseMetadata: {
			RequestId: `req-${action}`,
			Action: action,
			Version: '',
			Service: SERVICE_OF_ACTION[action],
			Region: 'cn-north-1',
		},
		Result: body,
	};
}

/**
 * Impersonates Volcengine's OpenAPI gateway for the sync workflow: verifies every signature
 * with the known secret (a mismatch gets SignatureDoesNotMatch, as Volcengine answers), checks
 * the signed service and region, throttles the first bill request once, and pages the bill
 * overview with Limit/Offset from the JSON body.
 */
export function volcengineStandIn(): StandIn {
	let billCalls = 0;
	return new StandIn((req, res) => {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers))
			if (value !== undefined) headers[name] = String(value);
		const verdict = verifyVolcengineSignature(
			{ method: req.method, path: req.path, rawQuery: req.rawQuery, headers, body: req.body },
			(id) => (id === VOLCENGINE_AK ? VOLCENGINE_SK : undefined),
		);
		const action = req.query.get('Action') ?? '';
		const meta = { action, version: req.query.get('Version') ?? '' };
		if (!verdict.ok)
			return json(res, 401, volcengineErrorBody(verdict.code, verdict.message, meta));
		if (verdict.service !== SERVICE_OF_ACTION[action] || verdict.region !== 'cn-north-1') {
			return json(
				res,
				401,
				volcengineErrorBody(
					'InvalidCredentialScope',
					`Signed for ${verdict.service} in ${verdict.region}`,
					meta,
				),
			);
		}
		switch (action) {
			case 'QueryBalanceAcct':
				return json(res, 200, result(action, BALANCE));
			case 'CreateAccessKey':
				// The account has no IAM user of that name (every other name is taken to exist).
				if (req.query.get('UserName') === 'no-such-user') {
					return json(
						res,
						404,
						volcengineErrorBody('EntityNotExist.User', 'User no-such-user does not exist', meta),
					);
				}
				return json(
					res,
					200,
					result(action, {
						AccessKey: {
							AccessKeyId: `AKLTcreated${Date.now()}`,
							SecretAccessKey: `TmV3U2VjcmV0QWNjZXNzS2V5${Date.now()}`,
							Status: 'active',
							UserName: req.query.get('UserName') ?? '',
							CreateDate: '20261125T040000Z',
						},
					}),
				);
			case 'ListAccessKeys':
				return json(res, 200, result(action, { AccessKeyMetadata: ACCESS_KEYS }));
			case 'ListApiKeys': {
				// The SDK's Validate(): Limit at most 1000, Offset at most 100.
				const limit = Number(req.query.get('Limit') ?? 10);
				const offset = Number(req.query.get('Offset') ?? 0);
				if (limit > 1000 || offset > 100)
					return json(
						res,
						400,
						volcengineErrorBody(
							'InvalidParameter',
							limit > 1000 ? 'Limit must be at most 1000' : 'Offset must be at most 100',
							meta,
						),
					);
				return json(
					res,
					200,
					result(action, {
						ApiKeys: API_KEYS.slice(offset, offset + limit),
						Total: API_KEYS.length,
					}),
				);
			}
			case 'ListBillOverviewByProd': {
				if (billCalls++ === 0) {
					return json(
						res,
						429,
						volcengineErrorBody(
							'FlowLimitExceeded',
							'Request was denied due to request throttling',
							meta,
						),
						{ 'retry-after': '0' },
					);
				}
				const body = JSON.parse(req.body) as { BillPeriod: string; Limit: number; Offset?: number };
				const offset = body.Offset ?? 0;
				const page = OVERVIEW_ROWS.slice(offset, offset + body.Limit).map((row) => ({
					...row,
					BillPeriod: body.BillPeriod,
				}));
				return json(
					res,
					200,
					result(action, {
						List: page,
						Total: OVERVIEW_ROWS.length,
						Limit: body.Limit,
						Offset: offset,
					}),
				);
			}
			default:
				return json(
					res,
					404,
					volcengineErrorBody('InvalidActionOrVersion', `Could not find operation ${action}`, meta),
				);
		}
	});
}
