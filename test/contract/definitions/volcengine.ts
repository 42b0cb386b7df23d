/**
 * The Volcengine OpenAPI actions the Volcengine node calls, as Volcengine's official Go SDK models
 * them (service/iam, API version 2018-01-01: GET, parameters in the query; service/billing, API
 * version 2022-01-01: POST, parameters in a JSON body), with bounds its Validate() methods check
 * and those Volcengine's API pages state. Every action cites its source.
 *
 * Volcengine addresses an action with `?Action=…&Version=…` on one path; the contract test turns
 * that into the path `/<Action>` so each action is an operation of its own.
 */
import type { CapturedRequest } from '../harness/openapi';
import {
	answer,
	body,
	definition,
	integer,
	list,
	oneOfValues,
	operation,
	query,
	text,
	type Json,
} from './schema';

const SDK =
	'https://github.com/volcengine/volcengine-go-sdk/blob/cf20b61ba391ab0d609104e25dd7d6df31edf876/service';
const LIST_BILL_DETAIL_DOC = 'https://www.volcengine.com/docs/6269/1127842';
const LIST_BILL_DOC = 'https://www.volcengine.com/docs/6269/1127841';

const iam = query('Version', oneOfValues('2018-01-01'), true);
const billing = query('Version', oneOfValues('2022-01-01'), true);
const userName = query('UserName', { type: 'string', minLength: 1, maxLength: 64 });

/**
 * Every answer: `ResponseMetadata` and the action's `Result`; or, for a failure (even with HTTP
 * 200), `ResponseMetadata.Error` and no result.
 */
const envelope = (result: Json): Json => ({
	anyOf: [
		answer({
			ResponseMetadata: answer({ RequestId: text, Action: text, Version: text }),
			Result: result,
		}),
		answer({
			ResponseMetadata: answer({ RequestId: text, Error: answer({ Code: text, Message: text }) }),
		}),
	],
});
const empty = envelope({ type: ['object', 'null'] });

const accessKey = answer({ AccessKeyId: text, Status: oneOfValues('active', 'inactive') }, [
	'AccessKeyId',
	'Status',
]);
const apiKey = answer({ Id: text, Name: text, Status: text }, ['Id']);
const billPeriod = { type: 'string', pattern: '^\\d{4}-\\d{2}$' };
const billingModes = list(oneOfValues('1', '2', '3', '4'));
const pageOfBills = envelope(
	answer(
		{
			List: list({ type: 'object' }),
			Total: integer(0),
			Limit: integer(0),
			Offset: integer(0),
		},
		['List'],
	),
);

export const volcengineDefinition = definition(
	"Volcengine IAM and Billing (from Volcengine's Go SDK)",
	{
		'/CreateAccessKey': {
			get: operation('CreateAccessKey', `${SDK}/iam/api_create_access_key.go`, {
				parameters: [iam, userName],
				answer: envelope(
					answer({ AccessKey: answer({ AccessKeyId: text, SecretAccessKey: text, Status: text }) }),
				),
			}),
		},
		'/DeleteAccessKey': {
			get: operation('DeleteAccessKey', `${SDK}/iam/api_delete_access_key.go`, {
				parameters: [iam, query('AccessKeyId', text, true), userName],
				answer: empty,
			}),
		},
		'/ListAccessKeys': {
			get: operation('ListAccessKeys', `${SDK}/iam/api_list_access_keys.go`, {
				parameters: [iam, userName],
				answer: envelope(answer({ AccessKeyMetadata: list(accessKey) })),
			}),
		},
		'/UpdateAccessKey': {
			get: operation('UpdateAccessKey', `${SDK}/iam/api_update_access_key.go`, {
				parameters: [
					iam,
					query('AccessKeyId', text, true),
					query('Status', oneOfValues('active', 'inactive'), true),
					userName,
				],
				answer: empty,
			}),
		},
		'/CreateApiKey': {
			get: operation('CreateApiKey', `${SDK}/iam/api_create_api_key.go`, {
				parameters: [
					iam,
					query('Name', { type: 'string', maxLength: 128 }),
					query('PermissionsBoundary', { type: 'string', maxLength: 2048 }),
					userName,
				],
				answer: envelope(answer({ ApiKey: answer({ Id: text, Secret: text }) })),
			}),
		},
		'/DeleteApiKey': {
			get: operation('DeleteApiKey', `${SDK}/iam/api_delete_api_key.go`, {
				parameters: [iam, query('Id', text, true), userName],
				answer: empty,
			}),
		},
		'/ListApiKeys': {
			get: operation('ListApiKeys', `${SDK}/iam/api_list_api_keys.go`, {
				parameters: [
					iam,
					query('Limit', integer(1, 1000)),
					query('Offset', integer(0, 100)),
					userName,
				],
				answer: envelope(answer({ ApiKeys: list(apiKey), Total: integer(0) }, ['ApiKeys'])),
			}),
		},
		'/UpdateApiKey': {
			get: operation('UpdateApiKey', `${SDK}/iam/api_update_api_key.go`, {
				parameters: [
					iam,
					query('Id', text, true),
					query('Name', { type: 'string', maxLength: 128 }),
					query('PermissionsBoundary', { type: 'string', maxLength: 2048 }),
					query('Status', oneOfValues('active', 'inactive')),
					userName,
				],
				answer: empty,
			}),
		},
		'/ListUsers': {
			get: operation('ListUsers', `${SDK}/iam/api_list_users.go`, {
				parameters: [
					iam,
					query('Limit', integer(1)),
					query('Offset', integer(0)),
					query('Query', text),
				],
				answer: envelope(answer({ UserMetadata: list({ type: 'object' }) })),
			}),
		},
		'/QueryBalanceAcct': {
			post: operation('QueryBalanceAcct', `${SDK}/billing/api_query_balance_acct.go`, {
				parameters: [billing],
				body: body({}),
				answer: envelope(
					answer({
						AvailableBalance: text,
						CashBalance: text,
						ArrearsBalance: text,
						CreditLimit: text,
						FreezeAmount: text,
					}),
				),
			}),
		},
		'/ListBillOverviewByProd': {
			post: operation(
				'ListBillOverviewByProd',
				`${SDK}/billing/api_list_bill_overview_by_prod.go (bounds: ${LIST_BILL_DOC})`,
				{
					parameters: [billing],
					body: body(
						{
							BillPeriod: billPeriod,
							Limit: integer(1, 300),
							Offset: integer(0),
							Product: list(text),
							BillingMode: billingModes,
							BillCategoryParent: list(oneOfValues('consume', 'refund', 'transfer')),
							IgnoreZero: integer(0, 1),
							NeedRecordNum: integer(0, 1),
							OwnerID: list({ type: 'integer' }),
							PayerID: list({ type: 'integer' }),
						},
						['BillPeriod', 'Limit'],
					),
					answer: pageOfBills,
				},
			),
		},
		'/ListBillDetail': {
			post: operation(
				'ListBillDetail',
				`${SDK}/billing/api_list_bill_detail.go (bounds and ExpenseDate rule: ${LIST_BILL_DETAIL_DOC})`,
				{
					parameters: [billing],
					body: {
						...body(
							{
								BillPeriod: billPeriod,
								Limit: integer(1, 300),
								Offset: integer(0),
								Product: list(text),
								BillingMode: billingModes,
								BillCategory: list(text),
								InstanceNo: text,
								ExpenseDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
								GroupTerm: integer(0, 3),
								GroupPeriod: integer(0, 2),
								IgnoreZero: integer(0, 1),
								NeedRecordNum: integer(0, 1),
								OwnerID: list({ type: 'integer' }),
								PayerID: list({ type: 'integer' }),
							},
							['BillPeriod', 'Limit'],
						),
						// "ExpenseDate only takes effect when GroupPeriod is 1."
						if: { required: ['ExpenseDate'] },
						then: { required: ['GroupPeriod'], properties: { GroupPeriod: { const: 1 } } },
					},
					answer: pageOfBills,
				},
			),
		},
	},
);

/** `/?Action=ListApiKeys&Version=…&Limit=…` → `/ListApiKeys?Version=…&Limit=…`. */
export function byAction(request: CapturedRequest): CapturedRequest {
	const [, queryString = ''] = request.url.split('?');
	const params = new URLSearchParams(queryString);
	const action = params.get('Action') ?? '';
	params.delete('Action');
	const rest = params.toString();
	return { ...request, url: `/${action}${rest ? `?${rest}` : ''}` };
}
