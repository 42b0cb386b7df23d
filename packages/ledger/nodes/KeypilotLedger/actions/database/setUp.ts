import { setUpDatabase } from '../../../../core/schema';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

/** Applies the migrations the database lacks, once for the whole input. */
export const operation: Operation<null> = {
	option: {
		name: 'Set Up',
		value: 'setUp',
		action: 'Set up or upgrade the ledger database',
		description:
			'Create or upgrade the ledger tables to this version; safe to run again and from several workers at once',
	},
	description: [],
	check: () => null,
	write: inLedger(
		async function (db, inputs) {
			const result = await setUpDatabase(db);
			return [{ json: { ...result }, pairedItem: inputs.map(({ item }) => ({ item })) }];
		},
		{ anySchema: true },
	),
};
