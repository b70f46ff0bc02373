import type { ExamItem } from "./item.js";
export const items: ExamItem[] = [];
