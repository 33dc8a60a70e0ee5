import type { Register } from '../context';

// Commands of the pricing area (to be filled by that work).
export const registerPricing: Register = () => undefined;
