"""Canonical keys of the three statistical tables, in their printed order."""

from __future__ import annotations

APPLICANTS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)

T3_ROWS_2019: tuple[str, ...] = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_three_safeties",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other_handling",
    "total_processed",
    "carried_forward",
)

T3_OTHER_2021: tuple[str, ...] = ("other_no_correction", "other_unpaid_fee", "other_misc")

T3_ROWS_2021: tuple[str, ...] = (
    *T3_ROWS_2019[: T3_ROWS_2019.index("other_handling")],
    *T3_OTHER_2021,
    "total_processed",
    "carried_forward",
)

# Rows whose sum is total_processed (t3.outcomes): every outcome row.
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(
    r
    for r in (*T3_ROWS_2019, *T3_OTHER_2021)
    if r not in ("new_received", "carried_over", "total_processed", "carried_forward")
)

PROCEEDINGS: tuple[str, ...] = ("admin_review", "litigation_direct", "litigation_after_review")
OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

# Table 二: (clause, item) -> metrics, per format.
T2_2019: dict[tuple[str, str], tuple[str, ...]] = {
    ("20.1", "regulations"): ("new_made", "new_published", "total_published"),
    ("20.1", "normative_documents"): ("new_made", "new_published", "total_published"),
    ("20.5", "licensing"): ("prev_year_count", "change", "decisions"),
    ("20.5", "other_services"): ("prev_year_count", "change", "decisions"),
    ("20.6", "penalty"): ("prev_year_count", "change", "decisions"),
    ("20.6", "coercion"): ("prev_year_count", "change", "decisions"),
    ("20.8", "fees"): ("prev_year_count", "change"),
    ("20.9", "procurement"): ("procurement_items", "procurement_amount"),
}
T2_2021: dict[tuple[str, str], tuple[str, ...]] = {
    ("20.1", "regulations"): ("issued", "repealed", "in_force"),
    ("20.1", "normative_documents"): ("issued", "repealed", "in_force"),
    ("20.5", "licensing"): ("decisions",),
    ("20.6", "penalty"): ("decisions",),
    ("20.6", "coercion"): ("decisions",),
    ("20.8", "fees"): ("fee_amount",),
}

SECTION_KEYS: dict[int, str] = {
    1: "overview",
    2: "active_disclosure",
    3: "applications",
    4: "reviews_litigation",
    5: "problems",
    6: "other_matters",
}
