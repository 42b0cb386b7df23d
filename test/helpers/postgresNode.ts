import type {
	IBinaryKeyData,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { createExecuteContext } from './executeContext';
import type { TestPostgres } from './postgres';

/** n8n's built-in Postgres credential type, as far as the Postgres-backed nodes use it. */
export const POSTGRES_CREDENTIAL: ICredentialType = {
	name: 'postgres',
	displayName: 'Postgres',
	properties: [],
};

/** Runs a Postgres-backed node's `execute` against one database of a test server. */
export async function runWithPostgres(
	nodeType: INodeType,
	postgres: TestPostgres,
	parameters: IDataObject | IDataObject[],
	items: IDataObject[],
	options: {
		continueOnFail?: boolean;
		onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
		database?: string;
		port?: number;
		/** Binary data of the first input item. */
		binary?: IBinaryKeyData;
		/** Receives the execution hints the node adds. */
		hints?: Array<{ message: string }>;
	} = {},
): Promise<INodeExecutionData[][]> {
	const { host, port, user, password } = postgres;
	const context = createExecuteContext({
		nodeType,
		credentialType: POSTGRES_CREDENTIAL,
		credentials: {
			host,
			port: options.port ?? port,
			user,
			password,
			database: options.database ?? 'keypilot',
			ssl: 'disable',
		},
		parameters,
		items: items.map((json, i) =>
			i === 0 && options.binary ? { json, binary: options.binary } : { json },
		),
		continueOnFail: options.continueOnFail,
		onError: options.onError,
	});
	try {
		return (await nodeType.execute!.call(context)) as INodeExecutionData[][];
	} finally {
		options.hints?.push(...context.hints);
	}
}
