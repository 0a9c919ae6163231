{% macro wholesale_spend_categories() %}
    {#- The wholesale spend categories: house name -> column of the input file (the UCI names). -#}
    {{ return({
        'fresh': 'Fresh',
        'milk': 'Milk',
        'grocery': 'Grocery',
        'frozen': 'Frozen',
        'detergents_paper': 'Detergents_Paper',
        'delicatessen': 'Delicassen',
    }) }}
{% endmacro %}
