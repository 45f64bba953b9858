// Drill-down of the plan area: city -> school (-> floor inside the school plan). An alert selection
// takes precedence over it; a guard's plan is always their school.
import { create } from 'zustand';

export interface PlanStore {
  schoolId: string | null;
  cityView: 'map' | 'list' | 'board';
  openSchool(id: string): void;
  backToCity(): void;
  setCityView(view: 'map' | 'list' | 'board'): void;
  reset(): void;
}

export const usePlanStore = create<PlanStore>()((set) => ({
  schoolId: null,
  cityView: 'map',
  openSchool: (schoolId) => set({ schoolId }),
  backToCity: () => set({ schoolId: null }),
  setCityView: (cityView) => set({ cityView }),
  reset: () => set({ schoolId: null, cityView: 'map' }),
}));
