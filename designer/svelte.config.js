// Svelte options for the designer (Vite looks for this beside its root).
export default {}
