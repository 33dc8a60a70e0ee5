import type { Register } from '../context';

// Commands of the keys area (to be filled by that work).
export const registerKeys: Register = () => undefined;
