import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * The state of an admin settings form whose fields are text as typed: the values, their field
 * errors from the last submit, whether it is saving, and `field(name)` props for a Polaris
 * TextField. After a save the loader runs again and the form shows what was stored, normalised.
 */
export function useSettingsForm<F extends object>(loadedForm: F, actionData: { ok: boolean; fieldErrors?: Partial<Record<keyof F, string>> } | undefined) {
  const navigation = useNavigation();
  const [form, setForm] = useState<F>(loadedForm);
  const fieldErrors: Partial<Record<keyof F, string>> = actionData && !actionData.ok ? (actionData.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (actionData?.ok) setForm(loadedForm);
  }, [actionData, loadedForm]);

  const field = (name: keyof F & string) => ({
    name,
    value: String(form[name]),
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value }) as F),
    error: fieldErrors[name],
    autoComplete: "off",
  });

  return { form, setForm, fieldErrors, saving: navigation.state === "submitting", field };
}
