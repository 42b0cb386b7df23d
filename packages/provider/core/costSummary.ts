import { addDecimals } from '../common/money';

export interface CostEntry {
	/** UTC day of the cost, "YYYY-MM-DD". */
	date: string;
	/** Exact decimal amount. */
	amount: string;
	/** Project or workspace the cost belongs to; null when the provider attributes it to none. */
	groupId: string | null;
}

export interface CostTotals {
	/** Everything in the period, attributed or not. */
	total: string;
	/** Everything on `today`. */
	today: string;
	/** Per project or workspace: period total and today's part. */
	groups: Map<string, { period: string; today: string }>;
}

/** Adds up cost entries exactly, per group and overall, with today's part kept apart. */
export function totalCosts(entries: CostEntry[], today: string): CostTotals {
	const totals: CostTotals = { total: '0', today: '0', groups: new Map() };
	for (const entry of entries) {
		const isToday = entry.date === today;
		totals.total = addDecimals(totals.total, entry.amount);
		if (isToday) totals.today = addDecimals(totals.today, entry.amount);
		if (entry.groupId === null) continue;
		const group = totals.groups.get(entry.groupId) ?? { period: '0', today: '0' };
		group.period = addDecimals(group.period, entry.amount);
		if (isToday) group.today = addDecimals(group.today, entry.amount);
		totals.groups.set(entry.groupId, group);
	}
	return totals;
}
