"""crmflow: durable customer-management processes on Temporal."""
