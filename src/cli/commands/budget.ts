import type { Register } from '../context';

// Commands of the budget area (to be filled by that work).
export const registerBudget: Register = () => undefined;
