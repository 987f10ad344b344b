"""Stage 4, emit: documents become the files users commit. ``iam_json`` writes the IAM
documents, ``terraform`` the module (HCL or Terraform JSON), ``scp`` the organization's SCP
statements; a gateway preset may add its own files (Port's registration request)."""
