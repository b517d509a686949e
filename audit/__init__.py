"""The audit stage (审计): rules over the catalogue, the working-day calendar, annual-report figures, county scores."""
