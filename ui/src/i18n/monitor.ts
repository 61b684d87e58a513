// Strings of the monitor area, English and Dutch side by side; merged into en.ts and nl.ts.
// The Dutch object must have exactly the English keys (the type checker enforces it).
export const monitorEn = {
} as const;

export const monitorNl: Record<keyof typeof monitorEn, string> = {
};
