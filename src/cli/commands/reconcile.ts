import type { Register } from '../context';

// Commands of the reconcile area (to be filled by that work).
export const registerReconcile: Register = () => undefined;
